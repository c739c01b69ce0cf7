namespace ExitSim.Model;

/// <summary>Intel hosts report VMX exit reasons (upper case), AMD hosts SVM exit codes (lower case).</summary>
public enum Vendor : byte { Intel, Amd }
