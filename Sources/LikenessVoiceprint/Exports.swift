// The BLAS wrapper and vector helpers moved to LikenessNN; re-exporting it keeps `import LikenessVoiceprint`
// enough for every file of this module and for downstream targets (BLAS, VectorMath, the layers).
@_exported import LikenessNN
