namespace ExitSim.Model;

/// <summary>What kind of cause an exit reason belongs to (the seed's classes, corrected to hardware reasons).</summary>
public enum ExitCategory : byte { Io, Memory, Interrupt, Timer, Apic, Msr, Instruction, Idle, Other }
