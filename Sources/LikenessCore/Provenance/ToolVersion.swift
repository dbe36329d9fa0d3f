/// The tool's name and version, recorded in every output, audit row and evidence file.
public enum ToolVersion {
    public static let name = "likeness"
    public static let string = "0.1.0"
}
