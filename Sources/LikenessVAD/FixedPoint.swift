// Integer helpers that reproduce the C semantics of WebRTC's signal-processing library (SPL) on x86:
// int16 operands promoted to int32, truncating casts back to int16, arithmetic right shifts, and 32-bit
// wrap-around where the C code can overflow. Every VAD decision depends on these exact roundings, so
// they are spelled out once here instead of inline.

/// `(int16_t) x`: keeps the low 16 bits, as C does on every assignment to an int16 variable.
@inline(__always)
func i16(_ x: Int32) -> Int16 { Int16(truncatingIfNeeded: x) }

/// `WEBRTC_SPL_MUL_16_16(a, b)`: a 16x16 product never overflows 32 bits.
@inline(__always)
func mul16(_ a: Int16, _ b: Int16) -> Int32 { Int32(a) * Int32(b) }

/// `WebRtcSpl_DivW32W16`: truncating division; division by zero yields `INT32_MAX` as in WebRTC.
/// `INT32_MIN / -1` (a hardware trap in C) wraps instead of crashing.
@inline(__always)
func divW32W16(_ num: Int32, _ den: Int16) -> Int32 {
    den == 0 ? Int32.max : num.dividedReportingOverflow(by: Int32(den)).partialValue
}

/// `WebRtcSpl_NormW32`: left shifts needed to normalise a signed 32-bit value (0 for 0).
@inline(__always)
func normW32(_ a: Int32) -> Int {
    a == 0 ? 0 : (a < 0 ? ~a : a).leadingZeroBitCount - 1
}

/// `WebRtcSpl_NormU32`: left shifts needed to normalise an unsigned 32-bit value (0 for 0).
@inline(__always)
func normU32(_ a: UInt32) -> Int {
    a == 0 ? 0 : a.leadingZeroBitCount
}

/// `WebRtcSpl_GetSizeInBits`: number of bits needed to represent `n`.
@inline(__always)
func sizeInBits(_ n: UInt32) -> Int { 32 - n.leadingZeroBitCount }

/// `WebRtcSpl_Energy`: sum of squares of `x`, each product right-shifted by a common scale chosen from
/// the peak magnitude so the sum cannot overflow. Returns the (wrapping) int32 sum and that scale.
/// Quirk kept: |-32768| wraps to -32768 in int16 and therefore never becomes the peak.
func splEnergy(_ x: UnsafeBufferPointer<Int16>) -> (energy: Int32, scale: Int) {
    var peak: Int16 = -1
    for v in x {
        let magnitude = v > 0 ? v : i16(-Int32(v))
        if magnitude > peak { peak = magnitude }
    }
    var scale = 0
    if peak != 0 {
        let nbits = sizeInBits(UInt32(x.count))
        let headroom = normW32(Int32(peak) * Int32(peak))
        scale = headroom > nbits ? 0 : nbits - headroom
    }
    var energy: Int32 = 0
    for v in x { energy = energy &+ (mul16(v, v) >> Int32(scale)) }
    return (energy, scale)
}
