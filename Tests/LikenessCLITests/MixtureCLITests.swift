import Foundation
import Testing

/// `embed` and `enroll` warn about a recording of several voices (SpeakerMixtureCheck with the real GE2E model), on
/// speech made with flite and espeak-ng, whose voices differ; and draw no progress line when stderr is not a
/// terminal.
@Suite("many-speakers warning", .serialized, .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"),
       .enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
struct MixtureCLITests {
    static let sentences = [
        "The quick brown fox jumps over the lazy dog near the river bank.",
        "Please leave your message after the tone and we will call you back.",
        "The train to the airport leaves from platform four every twenty minutes.",
        "Our weather today will be sunny with a light breeze from the west.",
        "She sells sea shells by the sea shore on a bright summer morning.",
        "A good cup of coffee starts with freshly ground beans and clean water.",
    ]

    /// Four voices taking turns of two sentences, twice (about 66 s), and one voice saying every sentence twice.
    static func make() throws -> (dir: URL, mixture: String, single: String) {
        let dir = try CLI.temporaryDirectory()
        var turns: [String] = [], single: [String] = []
        for (n, sentence) in sentences.enumerated() {
            let out = dir.appendingPathComponent("rms-\(n).wav")
            try ScanFixtures.say(sentence, flite: "rms", to: out, in: dir)
            single.append(out.path)
        }
        for round in 0..<2 {
            for (v, voice) in [("flite", "slt"), ("espeak", "en-us+f3"), ("flite", "rms"), ("espeak", "en-us+m7")].enumerated() {
                for s in [2 * round, 2 * round + 1] {
                    let out = dir.appendingPathComponent("turn-\(round)-\(v)-\(s).wav")
                    if voice.0 == "flite" {
                        try ScanFixtures.say(sentences[s], flite: voice.1, to: out, in: dir)
                    } else {
                        try ScanFixtures.say(sentences[s], espeak: voice.1, to: out, in: dir)
                    }
                    turns.append(out.path)
                }
            }
        }
        let mixture = dir.appendingPathComponent("conversation.wav").path
        let monologue = dir.appendingPathComponent("monologue.wav").path
        try ScanFixtures.shell("sox", turns + [mixture])
        try ScanFixtures.shell("sox", single + single + [monologue])
        return (dir, mixture, monologue)
    }

    @Test("embed warns about four voices taking turns and not about one voice; enroll refuses them unless --allow-mixed")
    func warnsAboutMixtures() throws {
        let (dir, mixture, single) = try Self.make()
        let embedded = try CLI.run(["embed", "--model", "ge2e", "--json", mixture, single])
        try #require(embedded.status == 0, "\(embedded.stderr)")
        let records = try #require(try CLI.json(embedded.stdout) as? [[String: Any]])
        let checks = records.map { $0["speaker_check"] as? [String: Any] }
        #expect(checks[0]?["many_speakers"] as? Bool == true, "\(checks[0] ?? [:])")
        #expect(checks[1]?["many_speakers"] as? Bool == false, "\(checks[1] ?? [:])")
        #expect((records[0]["warnings"] as? [String])?.contains { $0.contains("several speakers") } == true)
        #expect((records[1]["warnings"] as? [String])?.isEmpty == true)
        #expect(embedded.stderr.contains("several speakers") && embedded.stderr.contains("likeness scan"))
        // Not a terminal: no progress line (no carriage returns) on stderr.
        #expect(!embedded.stderr.contains("\r"))

        // The default model (the fusion) checks with its GE2E part; enrolment refuses the recording, naming the
        // override, and --allow-mixed enrols it with a warning and a note in the audit log.
        let registry = dir.appendingPathComponent("reg.sqlite").path
        let refused = try CLI.run(["enroll", "--artist", "Panel", "--id", "panel", mixture, "--registry", registry])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("conversation.wav") && refused.stderr.contains("several speakers")
                && refused.stderr.contains("--allow-mixed"), "\(refused.stderr)")
        let enrolled = try CLI.run(["enroll", "--artist", "Panel", "--id", "panel", mixture, "--registry", registry,
                                    "--json", "--allow-mixed"])
        try #require(enrolled.status == 0, "\(enrolled.stderr)")
        let result = try #require(try CLI.json(enrolled.stdout) as? [String: Any])
        #expect((result["added"] as? [String])?.count == 1)
        #expect((result["warnings"] as? [String])?.contains { $0.contains("several speakers") && $0.contains("--allow-mixed") } == true)
        let audit = try CLI.run(["registry", "audit", "--registry", registry, "--json"])
        #expect(audit.stdout.contains("single_speaker_check_overridden"), "\(audit.stdout.prefix(2000))")
    }

    @Test("enroll refuses clips of different people given as one artist, and enrols one person's clips")
    func refusesDifferentPeople() throws {
        let dir = try CLI.temporaryDirectory()
        var clips: [String] = []
        for (n, voice) in [("flite", "slt"), ("flite", "slt"), ("espeak", "en-us+m7")].enumerated() {
            let out = dir.appendingPathComponent("clip-\(n)-\(voice.1).wav")
            let text = Self.sentences[n] + " " + Self.sentences[n + 3]
            if voice.0 == "flite" { try ScanFixtures.say(text, flite: voice.1, to: out, in: dir) }
            else { try ScanFixtures.say(text, espeak: voice.1, to: out, in: dir) }
            clips.append(out.path)
        }
        let registry = dir.appendingPathComponent("reg.sqlite").path
        let refused = try CLI.run(["enroll", "--artist", "Two People", "--registry", registry] + clips)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("clip-2-en-us+m7.wav") && refused.stderr.contains("does not sound like the same person"),
                "\(refused.stderr)")
        #expect(!refused.stderr.contains("rejected \(clips[0])"), "\(refused.stderr)")
        let one = try CLI.run(["enroll", "--artist", "One Person", "--registry", registry, clips[0], clips[1]])
        #expect(one.status == 0, "\(one.stderr)")
        // Added later to the enrolled artist, the other voice is refused against the stored voiceprint.
        let later = try CLI.run(["enroll", "--artist", "One Person", "--registry", registry, clips[2]])
        #expect(later.status != 0 && later.stderr.contains("enrolled clip(s)"), "\(later.stderr)")
    }
}
