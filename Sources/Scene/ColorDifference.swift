import Foundation

/// CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1.
public enum ColorDifference {
    public static func ciede2000(_ lab1: (l: Double, a: Double, b: Double),
                                 _ lab2: (l: Double, a: Double, b: Double)) -> Double {
        let c1 = hypot(lab1.a, lab1.b), c2 = hypot(lab2.a, lab2.b)
        let meanC = (c1 + c2) / 2
        let c7 = pow(meanC, 7)
        let g = 0.5 * (1 - sqrt(c7 / (c7 + pow(25, 7))))
        let a1 = (1 + g) * lab1.a, a2 = (1 + g) * lab2.a
        let cp1 = hypot(a1, lab1.b), cp2 = hypot(a2, lab2.b)
        let hp1 = hueAngle(lab1.b, a1), hp2 = hueAngle(lab2.b, a2)

        let dL = lab2.l - lab1.l
        let dC = cp2 - cp1
        var dh = 0.0
        if cp1 * cp2 != 0 {
            dh = hp2 - hp1
            if dh > 180 { dh -= 360 } else if dh < -180 { dh += 360 }
        }
        let dH = 2 * sqrt(cp1 * cp2) * sin(radians(dh / 2))

        let meanL = (lab1.l + lab2.l) / 2
        let meanCp = (cp1 + cp2) / 2
        var meanH = hp1 + hp2
        if cp1 * cp2 != 0 {
            if abs(hp1 - hp2) <= 180 {
                meanH /= 2
            } else {
                meanH = hp1 + hp2 < 360 ? (hp1 + hp2 + 360) / 2 : (hp1 + hp2 - 360) / 2
            }
        }
        let t = 1 - 0.17 * cos(radians(meanH - 30)) + 0.24 * cos(radians(2 * meanH))
            + 0.32 * cos(radians(3 * meanH + 6)) - 0.20 * cos(radians(4 * meanH - 63))
        let dTheta = 30 * exp(-pow((meanH - 275) / 25, 2))
        let cp7 = pow(meanCp, 7)
        let rc = 2 * sqrt(cp7 / (cp7 + pow(25, 7)))
        let l50 = (meanL - 50) * (meanL - 50)
        let sl = 1 + 0.015 * l50 / sqrt(20 + l50)
        let sc = 1 + 0.045 * meanCp
        let sh = 1 + 0.015 * meanCp * t
        let rt = -sin(radians(2 * dTheta)) * rc
        let termL = dL / sl, termC = dC / sc, termH = dH / sh
        return sqrt(termL * termL + termC * termC + termH * termH + rt * termC * termH)
    }

    private static func hueAngle(_ b: Double, _ a: Double) -> Double {
        if a == 0 && b == 0 { return 0 }
        let h = atan2(b, a) * 180 / .pi
        return h < 0 ? h + 360 : h
    }

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
