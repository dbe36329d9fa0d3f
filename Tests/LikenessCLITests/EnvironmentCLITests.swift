import Foundation
import LikenessTestSupport
import Testing

/// Under CI (`CI` set, as `.ci/run` does), every tool and model the tests use must be present: the suites that
/// need them skip on a developer's machine without them, and this test turns those skips into a failure where the
/// README's set-up has run (scripts/setup.sh installs them).
@Suite("test environment")
struct EnvironmentCLITests {
    static let tools = ["sox", "soxi", "flite", "espeak-ng", "chromium", "sqlite3"]

    static func onPath(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    @Test("under CI every tool and model the tests use is installed", .enabled(if: ProcessInfo.processInfo.environment["CI"] != nil, "not under CI"))
    func everythingTheTestsUseIsInstalled() {
        let missing = Self.tools.filter { !Self.onPath($0) }
        #expect(missing.isEmpty, "missing under CI: \(missing) (scripts/setup.sh installs them)")
        #expect(CLI.binary != nil, "the likeness binary was not built")
        #expect(CLI.modelPresent, "the models were not set up (scripts/setup.sh)")
        #expect(ScanFixtures.toolsPresent)
        #expect(PostgresTestServer.installed, "PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)")
    }
}
