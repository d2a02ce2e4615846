using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Spiro.Cli.Doctor;

/// <summary>
/// Can a given user read or write a path? .NET exposes a file's mode but not its owner, and
/// checks only for the current user; the doctor runs as root and asks for salt-master's user.
/// </summary>
internal static partial class UnixAccess
{
    /// <summary>A resolved account: uid, primary gid and every group it is in.</summary>
    internal sealed record Account(string Name, int Uid, IReadOnlySet<int> Groups);

    /// <summary>uid/gid of a file (following symlinks) and its permission bits.</summary>
    internal sealed record Owner(int Uid, int Gid, UnixFileMode Mode);

    /// <summary>Resolves <paramref name="name"/> through NSS with <c>id</c>; null when unknown.</summary>
    public static Account? Lookup(string name)
    {
        var uid = Id("-u", name);
        var groups = Id("-G", name);
        if (uid is null || groups is null || !int.TryParse(uid, out var parsedUid))
        {
            return null;
        }

        var set = groups.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(g => int.TryParse(g, out var gid) ? gid : -1).Where(g => g >= 0).ToHashSet();
        return new Account(name, parsedUid, set);
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial int EffectiveUid();

    /// <summary>The owner of <paramref name="path"/>, or null when it cannot be stat'ed.</summary>
    public static unsafe Owner? OwnerOf(string path)
    {
        // struct stat on Linux: st_uid/st_gid follow st_dev, st_ino, st_nlink (8 bytes) and st_mode
        // (4) on x86-64, but st_mode (4) and st_nlink (4) on arm64.
        var (uidOffset, gidOffset) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (28, 32),
            Architecture.Arm64 => (24, 28),
            _ => (-1, -1),
        };
        var buffer = stackalloc byte[256];
        if (uidOffset < 0 || !OperatingSystem.IsLinux() || Stat(path, buffer) != 0)
        {
            return null;
        }

        return new Owner(*(int*)(buffer + uidOffset), *(int*)(buffer + gidOffset), File.GetUnixFileMode(path));
    }

    /// <summary>Gives <paramref name="path"/> to <paramref name="owner"/>; false when chown fails.</summary>
    public static bool GiveTo(string path, Owner owner) => Chown(path, owner.Uid, owner.Gid) == 0;

    /// <summary>Whether <paramref name="account"/> may read (and, if asked, write) <paramref name="path"/>; directories also need search.</summary>
    public static bool Allows(Account account, Owner owner, bool directory, bool write)
    {
        if (account.Uid == 0)
        {
            return true;
        }

        var (read, writeBit, search) = owner.Uid == account.Uid
            ? (UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute)
            : account.Groups.Contains(owner.Gid)
                ? (UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute)
                : (UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute);
        var needed = read | (write ? writeBit : 0) | (directory ? search : 0);
        return (owner.Mode & needed) == needed;
    }

    private static string? Id(string flag, string name)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("id", [flag, name]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.HasExited && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
