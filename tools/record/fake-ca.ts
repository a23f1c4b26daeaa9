/**
 * A throwaway certificate authority for the offline plan: the recording engine's fake of a TLS private key and a
 * self-signed certificate (the Cilium Cluster Mesh CA). It must be a real key and certificate, because the tests
 * render the Cilium chart with it and the chart signs the mesh certificates with it (sprig buildCustomCert refuses
 * anything else). Generated once with openssl (P-256, 100 years, "FAKE ... never trust"); it protects nothing and
 * appears only in offline recordings, where the program still treats the key as a secret.
 */
export const FAKE_CA_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgK6zSg0IAEJVpMxz8
Wt5E0OZSSUYuH/5u8Emlv7fU9T2hRANCAAQ2LsxVodAVXLn517MkfinwBHhmtWiN
aeOW+bD0zgr80POsyAwJCpT1wHXqw7MpPu8Sd7pWxJGrO2ec07EdAEvt
-----END PRIVATE KEY-----
`;

export const FAKE_CA_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIICAzCCAamgAwIBAgIUJ/8lGrbHaRKPJgyMZ4quouZqQCswCgYIKoZIzj0EAwIw
TjEwMC4GA1UEAwwnZ29jeSBvZmZsaW5lIHBsYW4gRkFLRSBDQSAtIG5ldmVyIHRy
dXN0MRowGAYDVQQKDBFnb2N5IG9mZmxpbmUgcGxhbjAgFw0yNjEyMDMxMDM1NTJa
GA8yMTI2MTEwOTEwMzU1MlowTjEwMC4GA1UEAwwnZ29jeSBvZmZsaW5lIHBsYW4g
RkFLRSBDQSAtIG5ldmVyIHRydXN0MRowGAYDVQQKDBFnb2N5IG9mZmxpbmUgcGxh
bjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDYuzFWh0BVcufnXsyR+KfAEeGa1
aI1p45b5sPTOCvzQ86zIDAkKlPXAderDsyk+7xJ3ulbEkas7Z5zTsR0AS+2jYzBh
MB0GA1UdDgQWBBSi1k0DoUhenMuHsVMUV17St6FwDDAfBgNVHSMEGDAWgBSi1k0D
oUhenMuHsVMUV17St6FwDDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB
pjAKBggqhkjOPQQDAgNIADBFAiAT+Iqzzab/9thKP6UXqJfikjQ2HQ2vMkLXZVVg
oGsFrgIhAM1xd0RlUupymv8YtGQhfm3swi6cQ0OGQmEVEFHffwX/
-----END CERTIFICATE-----
`;
