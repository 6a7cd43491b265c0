// The root CA the simulated vault's generate-root-ca / get-root-ca return. A real, parseable self-signed
// certificate (P-256, subject as the vault charm names its CA, "Vault Root Certificate Authority
// (charm-pki-local)"), made once with openssl; its private key was discarded, so it can sign nothing.
export const SIM_VAULT_ROOT_CA = `-----BEGIN CERTIFICATE-----
MIIBzzCCAXWgAwIBAgIUXS8WGNas+2JicLbPo640UzPRReMwCgYIKoZIzj0EAwIw
PTE7MDkGA1UEAwwyVmF1bHQgUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgKGNo
YXJtLXBraS1sb2NhbCkwHhcNMjYxMTI4MDk0ODQ4WhcNMzYxMTI1MDk0ODQ4WjA9
MTswOQYDVQQDDDJWYXVsdCBSb290IENlcnRpZmljYXRlIEF1dGhvcml0eSAoY2hh
cm0tcGtpLWxvY2FsKTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJtrH70Rjdy7
pbnyUl6mVujkShhjYibnyPH1LWKdOByzPOyNGsAgr8Hg0gm5cOPNZQfYGwptQKu1
KuaTI62J3EajUzBRMB0GA1UdDgQWBBT0X5+DPhnMVYPB0JVuNfw8CFnSlzAfBgNV
HSMEGDAWgBT0X5+DPhnMVYPB0JVuNfw8CFnSlzAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIGP0kEcNYUSrT2q66vclxh1K3URhCIa0jGeN6abhMlVk
AiEAidTTMsfjuBvfCVCqqZmC5UdJju807TWxl3C099bF1TI=
-----END CERTIFICATE-----`;
