using System.Runtime.InteropServices;

namespace ExitSim.Files;

/// <summary>
/// Asks the file system what a path is. .NET has no public call that tells a device or a FIFO from a
/// regular file, so this uses the runtime's own portable stat (SystemNative_Stat/LStat in
/// libSystem.Native, which every .NET on Linux and macOS ships and which reports the file type in
/// its normalised PAL_S_IF* bits); elsewhere (Windows) only files and directories exist.
/// </summary>
public static partial class PathProbe
{
    // src/native/libs/System.Native/pal_io.h: FileStatus starts { int32 Flags; int32 Mode; ... }.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatusHead
    {
        public int Flags;
        public int Mode;
    }

    private const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000,
        S_IFREG = 0x8000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

    /// <summary>errno values that mean the same on Linux and macOS (asm-generic/errno-base.h).</summary>
    public const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, out FileStatusHead status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, out FileStatusHead status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Access(string path, int mode);

    private const int W_OK = 2;   // PAL_W_OK

    /// <summary>Whether this process may write <paramref name="path"/> (access(2) with W_OK; always true on Windows).</summary>
    public static bool Writable(string path) => OperatingSystem.IsWindows() || Access(path, W_OK) == 0;

    /// <summary>
    /// What <paramref name="path"/> is (a symbolic link itself unless <paramref name="follow"/>), and the
    /// errno when it cannot be told (0 otherwise; <see cref="PathKind.Missing"/> then).
    /// </summary>
    public static (PathKind Kind, int Errno) Kind(string path, bool follow)
    {
        if (!OperatingSystem.IsWindows())
        {
            int rc = follow ? Stat(path, out var st) : LStat(path, out st);
            if (rc != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return (PathKind.Missing, errno == ENOENT ? 0 : errno);
            }
            return ((st.Mode & S_IFMT) switch
            {
                S_IFREG => PathKind.Regular,
                S_IFDIR => PathKind.Directory,
                S_IFLNK => PathKind.Symlink,
                S_IFCHR => PathKind.CharDevice,
                S_IFBLK => PathKind.BlockDevice,
                S_IFIFO => PathKind.Fifo,
                S_IFSOCK => PathKind.Socket,
                _ => PathKind.Regular,
            }, 0);
        }
        var info = new FileInfo(path);
        if (!follow && info.Exists && info.LinkTarget is not null) return (PathKind.Symlink, 0);
        if (Directory.Exists(path)) return (PathKind.Directory, 0);
        return (File.Exists(path) ? PathKind.Regular : PathKind.Missing, 0);
    }

    /// <summary>How an error number reads ("No space left on device").</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>The kind as a sentence fragment: "a directory", "a character device".</summary>
    public static string Describe(PathKind kind) => kind switch
    {
        PathKind.Regular => "a file",
        PathKind.Directory => "a directory",
        PathKind.Symlink => "a symbolic link",
        PathKind.CharDevice => "a character device",
        PathKind.BlockDevice => "a block device",
        PathKind.Fifo => "a FIFO",
        PathKind.Socket => "a socket",
        _ => "missing",
    };
}
