import BackdropCore
import Media

/// A background picture fitted to the frame: centre-cropped to the frame's aspect ratio (no
/// stretched faces or shelves), then scaled.
public enum BackgroundPicture {
    public static func load(path: String, width: Int, height: Int) throws -> VideoFrame {
        let image = try ImageFile.load(path: path)
        let cropped = crop(image, toAspect: Double(width) / Double(height))
        return try PixelScaler().videoFrame(from: cropped, width: width, height: height)
    }

    static func crop(_ image: RGBImage, toAspect aspect: Double) -> RGBImage {
        let imageAspect = Double(image.width) / Double(image.height)
        var (w, h) = (image.width, image.height)
        if imageAspect > aspect {
            w = max(1, Int((Double(image.height) * aspect).rounded()))
        } else {
            h = max(1, Int((Double(image.width) / aspect).rounded()))
        }
        guard w != image.width || h != image.height else { return image }
        let x0 = (image.width - w) / 2, y0 = (image.height - h) / 2
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            let src = ((y0 + y) * image.width + x0) * 3
            pixels.replaceSubrange((y * w * 3)..<((y + 1) * w * 3), with: image.pixels[src..<(src + w * 3)])
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}
