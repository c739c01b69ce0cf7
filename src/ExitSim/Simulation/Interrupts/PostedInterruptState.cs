namespace ExitSim.Simulation.Interrupts;

/// <summary>
/// A vCPU's posted-interrupt descriptor as far as the model needs it: its ON bit. KVM sets ON when it posts to a vCPU
/// (vmx.c __vmx_deliver_posted_interrupt, pi_test_and_set_on); a vCPU in guest mode takes the notification at once, so ON
/// stays set only for a post to a vCPU out of guest mode, until its next entry syncs PIR to the vIRR and clears ON
/// (vmx_sync_pir_to_irr, pi_clear_on, in vcpu_enter_guest). While ON is set a second post sends no notification and
/// wakes nothing ("If a previous notification has sent the IPI, nothing to do").
/// </summary>
internal struct PostedInterruptState
{
    private bool _on;
    private double _onAt;

    /// <summary>An interrupt is posted at <paramref name="t"/> to the vCPU while it is out of guest mode.</summary>
    public void PostOutsideGuest(double t)
    {
        if (_on) return;
        _on = true;
        _onAt = t;
    }

    /// <summary>The vCPU leaves the guest having entered at <paramref name="enteredAt"/>: an entry after the post cleared ON.</summary>
    public void Left(double enteredAt)
    {
        if (_on && enteredAt >= _onAt) _on = false;
    }

    /// <summary>ON is set at <paramref name="t"/>: posted out of guest mode, and not entered since (an entry at <paramref name="enteredAt"/> ≤ t while in the guest).</summary>
    public readonly bool On(double t, bool inGuest, double enteredAt) => _on && !(inGuest && enteredAt >= _onAt && enteredAt <= t);
}
