@testable import Daemon
import Foundation
import Testing

@Suite struct TOMLParserProcessTests {
    /// A stand-in child: a shell printing `output` (or killing itself), so the parent's side is
    /// tested without the backdrop binary.
    func child(_ script: String) -> TOMLParserProcess {
        TOMLParserProcess(executable: "/bin/sh", arguments: ["-c", "cat > /dev/null; " + script], timeout: 5)
    }

    func json(_ outcome: TOMLParserProcess.Outcome) throws -> String {
        String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
    }

    @Test func readsTheValuesTheChildSends() throws {
        let outcome = TOMLParserProcess.Outcome(parsing: "source = \"/dev/video0\"\n[camera]\nwidth = 640\nsinks = [\"a\"]\n")
        let parsed = try child("printf '%s' '\(try json(outcome))'").parse("ignored")
        #expect(parsed["camera.width"] == .int(640))
        #expect(parsed["camera.sinks"] == .array([.string("a")]))
        #expect(parsed["source"] == .string("/dev/video0"))
    }

    @Test func passesOnTheSyntaxErrorWithItsPlace() throws {
        let parser = child("printf '%s' '\(try json(TOMLParserProcess.Outcome(parsing: "a = 1\nb = = 2\n")))'")
        do {
            _ = try parser.parse("ignored")
            Issue.record("a syntax error came back as values")
        } catch {
            #expect(error.line == 2)
        }
    }

    /// toml++ aborting in the child is a syntax error for the parent, which carries on.
    @Test func aChildThatCrashesIsASyntaxError() {
        #expect(throws: TOMLSnapshot.SyntaxError.self) { try child("kill -ABRT $$").parse("[,x]") }
        #expect(throws: TOMLSnapshot.SyntaxError.self) { try child("printf 'not json'").parse("") }
        #expect(throws: TOMLSnapshot.SyntaxError.self) { try child("exit 3").parse("") }
    }

    @Test func aChildThatHangsIsKilled() {
        let hanging = TOMLParserProcess(executable: "/bin/sleep", arguments: ["30"], timeout: 0.5)
        let start = Date()
        #expect(throws: TOMLSnapshot.SyntaxError.self) { try hanging.parse("a = 1") }
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func refusesFilesTooBigToBeAConfiguration() {
        let big = String(repeating: "# padding\n", count: TOMLParserProcess.maximumSize / 10 + 1)
        do {
            _ = try child("printf '{}'").parse(big)
            Issue.record("an oversized file was parsed")
        } catch {
            #expect(error.message.contains("at most"))
        }
    }

    @Test func aMissingParserIsReported() {
        let missing = TOMLParserProcess(executable: "/nonexistent/backdrop")
        do {
            _ = try missing.parse("a = 1")
            Issue.record("a missing parser parsed")
        } catch {
            #expect(error.message.contains("could not start"))
        }
    }
}
