namespace ExitSim.Probe.Validation;

/// <summary>
/// The real guest of a validation workload. One batch of requests:
/// <code>
///   mov ax, 0x1000; mov ds, ax; mov al, 0x41; mov si, R
/// request:
///   (per exit slot) mov ecx, k; c: xor ebx, ecx; dec ecx; jnz c; then out dx, al or mov [offset], al
///   dec si; jz done; jmp request
/// done:
///   mov dx, DonePort; out dx, al; hlt; jmp start
/// </code>
/// The request's compute is split evenly over its exit slots and the exits are interleaved, so each
/// kind occurs at its own steady rate in guest time — what the scenario's <c>interval:</c> says.
/// Built without its exits (<c>withExits: false</c>, only the exit instructions left out) it is the
/// request's compute as the scenario is given it: every other instruction of the request included.
/// </summary>
public static class ValidationGuest
{
    public static GuestProgram Build(ValidationWorkload w, uint iterationsPerRequest, ushort requestsPerBatch, bool withExits = true)
    {
        if (w.Problem() is { } problem) throw new ArgumentException($"{w.Name}: {problem}");
        if (requestsPerBatch == 0) throw new ArgumentOutOfRangeException(nameof(requestsPerBatch));
        var slots = Slots(w);
        var a = new RealModeAssembler();
        a.Label("start")
         .Mov(Reg16.Ax, GuestPrograms.MmioSegment)
         .Mov(SegReg.Ds, Reg16.Ax)
         .Mov(Reg8.Al, 0x41)
         .Mov(Reg16.Si, requestsPerBatch)
         .Label("request");
        for (int i = 0; i < slots.Count; i++)
        {
            uint k = iterationsPerRequest / (uint)slots.Count + (i < iterationsPerRequest % slots.Count ? 1u : 0u);
            if (k > 0)
                a.Mov32(Reg16.Cx, k)
                 .Label($"compute{i}")
                 .Xor32(Reg16.Bx, Reg16.Cx)
                 .Dec32(Reg16.Cx)
                 .Jnz($"compute{i}");
            switch (slots[i])
            {
                case ProbeExit.UserspacePio: a.Mov(Reg16.Dx, GuestPrograms.UserspacePort); break;
                case ProbeExit.IoEventFdPio: a.Mov(Reg16.Dx, GuestPrograms.IoEventFdPort); break;
            }
            if (!withExits) continue;
            switch (slots[i])
            {
                case ProbeExit.UserspacePio or ProbeExit.IoEventFdPio: a.OutDxAl(); break;
                case ProbeExit.UserspaceMmio: a.MovToMemory(GuestPrograms.UserspaceMmioOffset); break;
                case ProbeExit.IoEventFdMmio: a.MovToMemory(GuestPrograms.IoEventFdMmioOffset); break;
            }
        }
        a.Dec(Reg16.Si)
         .Jz("done")
         .JmpNear("request")
         .Label("done")
         .Mov(Reg16.Dx, GuestPrograms.DonePort)
         .OutDxAl()
         .Hlt()
         .JmpNear("start");
        string exits = string.Join(", ", w.Exits.Select(e => $"{e.PerRequest} × {e.ProbePath}"));
        return new GuestProgram($"validate-{w.Name}{(withExits ? "" : "-compute")}", a.Assemble(),
            $"{requestsPerBatch} requests of {iterationsPerRequest} loop iterations and {(withExits ? exits : "no exits")}, then out 0x{GuestPrograms.DonePort:x}, hlt");
    }

    /// <summary>The exits of one request in order: each kind spread evenly (the one furthest behind its share goes next).</summary>
    public static IReadOnlyList<ProbeExit> Slots(ValidationWorkload w)
    {
        int total = w.ExitsPerRequest;
        var emitted = new int[w.Exits.Count];
        var slots = new List<ProbeExit>(total);
        for (int s = 0; s < total; s++)
        {
            int best = -1;
            double bestLag = double.MinValue;
            for (int i = 0; i < w.Exits.Count; i++)
            {
                if (emitted[i] == w.Exits[i].PerRequest) continue;
                double lag = (s + 1.0) * w.Exits[i].PerRequest / total - emitted[i];
                if (lag > bestLag) { bestLag = lag; best = i; }
            }
            emitted[best]++;
            slots.Add(w.Exits[best].Kind);
        }
        return slots;
    }
}
