import Testing
import LikenessVAD

// Hand-computed cases of Resemblyzer's moving average (width 8: windows i-3...i+4, zeros outside,
// mean rounded half to even) and scipy's binary dilation with ones(7) (windows i-3...i+3).

private func flags(_ s: String) -> [Bool] { s.map { $0 == "1" } }

@Test func movingAverageNeedsMoreThanHalf() {
    // Four ones in the 8-window neighbourhood give exactly 0.5, which rounds to 0 (half to even).
    #expect(SilenceTrimmer.smooth(flags("0000111100000000"), width: 8) == flags("0000000000000000"))
    // Five ones: neighbourhoods containing all five (i-3 <= 3 and i+4 >= 7) are kept, i.e. 3...6.
    #expect(SilenceTrimmer.smooth(flags("0001111100000000"), width: 8) == flags("0001111000000000"))
}

@Test func movingAverageWindowIsAsymmetric() {
    // Width 8 looks 3 back and 4 ahead. Ones at 0...4: i = 0...3 see all five (-> 1);
    // i = 4 sees 1...8, four ones (-> 0.5 -> 0).
    #expect(SilenceTrimmer.smooth(flags("1111100000"), width: 8) == flags("1111000000"))
    // Odd width 3 is symmetric: needs 2 of 3.
    #expect(SilenceTrimmer.smooth(flags("0110100"), width: 3) == flags("0111000"))
    #expect(SilenceTrimmer.smooth([], width: 8) == [])
}

@Test func dilationBySevenWindows() {
    // One set window spreads three windows each way, clipped at the ends.
    #expect(SilenceTrimmer.dilate(flags("000000010000000"), maxSilenceWindows: 6)
            == flags("000011111110000"))
    #expect(SilenceTrimmer.dilate(flags("1000000000"), maxSilenceWindows: 6) == flags("1111000000"))
    // Gaps of up to 6 windows between speech are filled.
    #expect(SilenceTrimmer.dilate(flags("0001000000100000"), maxSilenceWindows: 6)
            == flags("1111111111111100"))
    #expect(SilenceTrimmer.dilate([], maxSilenceWindows: 6) == [])
}

@Test func dilationWithEvenElementMatchesScipy() {
    // scipy: ones(8) spreads an impulse 4 windows back and 3 ahead.
    #expect(SilenceTrimmer.dilate(flags("0000000010000000"), maxSilenceWindows: 7)
            == flags("0000111111110000"))
    #expect(SilenceTrimmer.dilate(flags("0100"), maxSilenceWindows: 0) == flags("0100"))
}

@Test func pcmConversionRoundsHalfToEvenAndClips() {
    // Float(t) / 32767 * 32767 == t exactly for these t (checked first), so they are true ties.
    let ties: [Float] = [0.5, 1.5, 2.5].map { $0 / 32767 }
    #expect(ties.map { $0 * 32767 } == [0.5, 1.5, 2.5])
    let pcm = SilenceTrimmer.pcm16([0, 1, -1, 1.5, -2, .nan] + ties + ties.map { -$0 })
    #expect(pcm == [0, 32767, -32767, 32767, -32768, 0, 0, 2, 2, 0, -2, -2])
}
