import Foundation
import LikenessTestSupport
import Testing

/// Hard input gets a message naming the file or option and the real cause, never a silent number.
@Suite("input errors and warnings", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"))
struct InputErrorsCLITests {
    static func sox(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sox"] + args
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "sox \(args)")
    }

    @Test("a clipped recording is analysed with a warning; a missing --calibration file names the option")
    func clippingAndMissingCalibration() throws {
        let dir = try CLI.temporaryDirectory()
        let clipped = dir.appendingPathComponent("clipped.wav").path
        try Self.sox([CLI.sample("alice_1.wav"), clipped, "gain", "24"])
        let run = try CLI.run(["compare", clipped, CLI.sample("alice_2.wav")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("clipped.wav") && run.stderr.contains("the recording is clipped"), "\(run.stderr)")
        let clean = try CLI.run(["compare", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav")])
        #expect(!clean.stderr.contains("clipped"), "\(clean.stderr)")

        for option in ["--calibration", "--cohort"] {
            let missing = try CLI.run(["compare", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), option, "nosuch.json"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("\(option) nosuch.json: no such file"), "\(missing.stderr)")
        }
    }

    @Test("a file that is not audio says so whatever its extension; nothing from the decoder library reaches stderr")
    func notAudioWithAnAudioExtension() throws {
        let dir = try CLI.temporaryDirectory()
        let fake = dir.appendingPathComponent("picture.mp3")
        // The start of a PNG file.
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 4000)).write(to: fake)
        let run = try CLI.run(["embed", fake.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("picture.mp3") && run.stderr.contains("not audio"), "\(run.stderr)")
        #expect(!run.stderr.contains("does not exist"), "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "only our own message: \(lines)")
    }

    @Test("a cut or damaged MP3 gives a result with a warning, and mpg123's own diagnostics never reach stderr")
    func cutAndDamagedMP3() throws {
        let dir = try CLI.temporaryDirectory()
        let whole = dir.appendingPathComponent("whole.mp3").path
        // Four sample sentences, about 25 s, as a Xing-less CBR MP3 (sox's encoder), so only the frames show a cut.
        try Self.sox([CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), CLI.sample("alice_1.wav"),
                      CLI.sample("alice_2.wav"), "-C", "32", whole])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        let intact = try CLI.run(["embed", "--model", "ge2e", whole])
        #expect(intact.status == 0 && intact.stderr.isEmpty, "\(intact.stderr)")

        let cut = dir.appendingPathComponent("cut.mp3")
        try Data(bytes[..<(bytes.count * 2 / 5 + 37)]).write(to: cut)
        let cutRun = try CLI.run(["embed", "--model", "ge2e", cut.path])
        #expect(cutRun.status == 0, "\(cutRun.stderr)")
        #expect(cutRun.stderr.contains("cut.mp3: possibly truncated") && cutRun.stderr.contains("cut off"), "\(cutRun.stderr)")

        var damaged = bytes
        var generator = SplitMix64(seed: 7)
        for i in (bytes.count / 3)..<(bytes.count / 3 + 3000) { damaged[i] = UInt8(truncatingIfNeeded: generator.next()) }
        let broken = dir.appendingPathComponent("damaged.mp3")
        try Data(damaged).write(to: broken)
        let brokenRun = try CLI.run(["embed", "--model", "ge2e", broken.path])
        let lines = brokenRun.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.contains("damaged.mp3") }, "only our own lines, naming the file: \(lines)")
        #expect(!brokenRun.stderr.contains("Note:") && !brokenRun.stderr.contains("mpg123"), "\(brokenRun.stderr)")
    }
}
