namespace ExitSim.Files;

/// <summary>What a path names, as <c>stat(2)</c> tells it: the kinds an output treats differently.</summary>
public enum PathKind
{
    Missing,
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}
