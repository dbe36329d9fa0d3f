import Foundation
import Testing
@testable import LikenessReport

/// Renders a generated evidence report with headless Chromium (scripts/render-report.sh), as a screenshot and as
/// printed A4, so a layout that breaks in a real browser fails here. Chromium is in scripts/setup.sh's packages: a
/// missing browser is a failure, not a skip. Set LIKENESS_RENDER_DIR to keep the files and look at them.
@Suite(.serialized) struct ChromiumRenderTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func render(_ html: URL, to out: URL) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repoRoot.appendingPathComponent("scripts/render-report.sh").path, html.path, out.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func reportRendersAsScreenshotAndPDF() throws {
        let dir = ProcessInfo.processInfo.environment["LIKENESS_RENDER_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("likeness-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var r = ForensicReportTests.report(percentileFraction: 0.98, log10LR: 0.05)
        r.caseDetails.instructingParty = "Smith & Partners LLP"
        let html = dir.appendingPathComponent("forensic-report.html")
        try HTMLReport.render(r).write(to: html, atomically: true, encoding: .utf8)

        let png = dir.appendingPathComponent("forensic-report.screenshot.png")
        let shot = try render(html, to: png)
        #expect(shot.status == 0, "\(shot.stderr)")
        let pngData = try Data(contentsOf: png)
        #expect(pngData.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG file")
        // IHDR: width and height, big-endian, at bytes 16...23; the whole window is drawn.
        let width = pngData[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = pngData[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1100 && height == 3000)
        // A blank or error page compresses to a few kilobytes; text, tables and charts do not.
        #expect(pngData.count > 100_000, "\(pngData.count) bytes")

        let pdf = dir.appendingPathComponent("forensic-report.pdf")
        let printed = try render(html, to: pdf)
        #expect(printed.status == 0, "\(printed.stderr)")
        let pdfData = try Data(contentsOf: pdf)
        #expect(pdfData.starts(with: Array("%PDF".utf8)))
        #expect(pdfData.count > 50_000, "\(pdfData.count) bytes")
        // The page tree's root "/Count N" is the number of pages (the largest count in the file).
        let text = String(decoding: pdfData, as: UTF8.self)
        let pages = text.components(separatedBy: "/Count ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }.max() ?? 0
        #expect(pages >= 4, "the report with four figures takes several A4 pages, not \(pages)")
    }
}
