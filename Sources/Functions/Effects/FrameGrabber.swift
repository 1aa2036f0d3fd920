import Foundation
import Subprocess

/// Grabs still frames from a video with ffmpeg (one run per frame, scaled to
/// 1280 px wide, JPEG). A frame that cannot be grabbed (past the end, a
/// broken stretch) is skipped: screenshots are a nicety, never a reason to
/// fail the transcript.
public struct FrameGrabber: Sendable {
    let ffmpeg: [String]
    let runner: any CommandRunner

    public init(ffmpeg: [String], runner: any CommandRunner) {
        self.ffmpeg = ffmpeg
        self.runner = runner
    }

    /// Writes `<name>.jpg` files into `directory`; returns the shots that produced a file.
    public func grab(_ shots: [ScreenshotPlan.Shot], from video: String, into directory: String) async -> [ScreenshotPlan.Shot] {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // ffmpeg has no `--`; `file:` makes the input a plain file whatever its
        // name (never an option, a URL or another protocol such as `concat:`).
        let input = "file:" + video
        var grabbed: [ScreenshotPlan.Shot] = []
        for shot in shots {
            let output = "\(directory)/\(shot.name).jpg"  // absolute: never option-like
            let result = try? await runner.run(Command(ffmpeg + ["-v", "error", "-y", "-ss", "\(Int(shot.seconds))", "-i", input,
                                                               "-vframes", "1", "-vf", "scale=1280:-1", "-q:v", "2", output],
                                                      timeout: 120))
            if result?.exitCode == 0, let size = (try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int, size > 0 {
                grabbed.append(shot)
            } else {
                try? FileManager.default.removeItem(atPath: output)
            }
        }
        return grabbed
    }
}
