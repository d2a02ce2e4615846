namespace Spiro.Testing.Services;

/// <summary>The <c>ceph.conf</c> of the test cluster; each setting that is not a path says why it is there.</summary>
internal static class CephConfig
{
    public static string Render(string directory, string fsid, int monitorPort, int gatewayPort) => $"""
        [global]
        fsid = {fsid}
        mon host = v2:127.0.0.1:{monitorPort}
        public network = 127.0.0.0/8
        auth cluster required = cephx
        auth service required = cephx
        auth client required = cephx
        # One OSD; every pool has one copy, and the CRUSH rule spreads over OSDs, not hosts.
        osd pool default size = 1
        osd pool default min size = 1
        mon allow pool size one = true
        osd crush chooseleaf type = 0
        # Few placement groups, fixed; radosgw makes about eight pools.
        osd pool default pg num = 8
        osd pool default pgp num = 8
        osd pool default pg autoscale mode = off
        mon warn on pool no redundancy = false
        run dir = {directory}/run
        pid file = {directory}/run/$name.pid
        log file = {directory}/log/$name.log
        admin socket = {directory}/run/$name.asok
        mon data = {directory}/mon/$cluster-$id
        osd data = {directory}/osd/$cluster-$id
        [client.admin]
        keyring = {directory}/admin.keyring
        [mon]
        # Proposals every 50 ms instead of 1 s; start-up from 15 s to about 6 s.
        paxos propose interval = 0.05
        paxos min wait = 0.01
        mon data avail warn = 1
        mon data avail crit = 0
        [osd]
        keyring = $osd_data/keyring
        # Bluestore on a sparse 20 GiB file in the private directory; memstore would hold it all in RAM.
        osd objectstore = bluestore
        bluestore block create = true
        bluestore block size = 21474836480
        bluestore fsck on mount = false
        [client.rgw.a]
        keyring = {directory}/rgw.keyring
        rgw data = {directory}/rgw
        # tcp_nodelay; without it every small GET waits about 40 ms for delayed ACKs.
        rgw frontends = beast endpoint=127.0.0.1:{gatewayPort} tcp_nodelay=1


        """;
}
