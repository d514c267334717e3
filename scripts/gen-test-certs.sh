#!/usr/bin/env bash
# Generates the certificate fixtures in fixtures/certs/ (see fixtures/certs/README.md). Run once; the output is
# committed so the tests never depend on when they run: every validity period is an explicit date, and the tests
# judge with a fixed clock. `openssl ca` is used throughout because it is the one OpenSSL 3.0 command that takes
# explicit start and end dates (x509 -days counts from now, and -not_before/-not_after arrived in 3.4).
set -euo pipefail

OUT="$(cd "$(dirname "$0")/.." && pwd)/fixtures/certs"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/new"
: > "$WORK/index.txt"

cat > "$WORK/ca.cnf" <<'EOF'
[ca]
default_ca = CA_default
[CA_default]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
policy = policy_any
unique_subject = no
default_md = sha256
[policy_any]
commonName = supplied
organizationName = optional
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
authorityInfoAccess = $ENV::AIA
[v3_leaf_no_san]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_self]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
EOF

cd "$WORK"

key() { # name, openssl genpkey arguments...
  local name=$1
  shift
  openssl genpkey -quiet "$@" -out "$OUT/$name.key"
}

# sign NAME CN ISSUER SERIAL START END EXTENSIONS [MD]; ISSUER "self" signs with the certificate's own key.
sign() {
  local name=$1 cn=$2 issuer=$3 serial=$4 start=$5 end=$6 ext=$7 md=${8:-sha256}
  echo "$serial" > serial
  openssl req -new -key "$OUT/$name.key" -subj "/O=plumbline tests/CN=$cn" -out "$name.csr"
  local by=(-cert "$OUT/$issuer.crt" -keyfile "$OUT/$issuer.key")
  [ "$issuer" = self ] && by=(-selfsign -keyfile "$OUT/$name.key")
  # Ed25519 signs the message itself, with no separate digest: `openssl ca` must not be given one.
  local digest=(-md "$md")
  [ "$md" = none ] && digest=()
  openssl ca -config ca.cnf -batch -notext -in "$name.csr" -out "$OUT/$name.crt" "${by[@]}" "${digest[@]}" \
    -startdate "$start" -enddate "$end" -extfile ca.cnf -extensions "$ext" 2>/dev/null
}

leaf() { # NAME CN SAN ISSUER SERIAL START END [MD]
  SAN=$3 AIA="OCSP;URI:http://ocsp.chain.test/,caIssuers;URI:http://ca.chain.test/intermediate.crt" \
    sign "$1" "$2" "$4" "$5" "$6" "$7" v3_leaf "${8:-sha256}"
}

# The config names both variables in sections other certificates do not use; they must exist all the same.
export SAN=DNS:unused AIA="OCSP;URI:http://unused/"

key root-ca -algorithm RSA -pkeyopt rsa_keygen_bits:2048
sign root-ca "plumbline test root" self 1000 250101000000Z 450101000000Z v3_root

# Same name as the root, another key: a chain must be judged by signatures, not by names.
key impostor-root -algorithm RSA -pkeyopt rsa_keygen_bits:2048
sign impostor-root "plumbline test root" self 1001 250101000000Z 450101000000Z v3_root

# The intermediate expires before the leaves it signs: the earliest expiry of the chain is not the leaf's.
key intermediate-ca -algorithm EC -pkeyopt ec_paramgen_curve:P-256
sign intermediate-ca "plumbline test intermediate" root-ca 2000 250601000000Z 270301000000Z v3_intermediate

key leaf -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf leaf chain.test "DNS:chain.test,DNS:www.chain.test,IP:198.18.128.2" intermediate-ca 3001 260901000000Z 270901000000Z

key expired -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf expired expired.chain.test DNS:expired.chain.test intermediate-ca 3002 260101000000Z 260401000000Z

key three-day -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf three-day chain.test DNS:chain.test intermediate-ca 3003 261128000000Z 261204000000Z

key wrong-host -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf wrong-host other.test DNS:other.test intermediate-ca 3004 260901000000Z 270901000000Z

key not-yet-valid -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf not-yet-valid chain.test DNS:chain.test intermediate-ca 3005 270101000000Z 280101000000Z

key rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
leaf rsa1024 chain.test DNS:chain.test intermediate-ca 3006 260901000000Z 270901000000Z

# SHA-1 from the RSA root (sha1WithRSAEncryption) and from the EC intermediate (ecdsa-with-SHA1).
key sha1 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
leaf sha1 chain.test DNS:chain.test root-ca 3007 260901000000Z 270901000000Z sha1
key sha1-ecdsa -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf sha1-ecdsa chain.test DNS:chain.test intermediate-ca 3008 260901000000Z 270901000000Z sha1

# A leaf with only a CN and no subjectAltName at all: clients (RFC 9525) match no name against it.
key cn-only -algorithm EC -pkeyopt ec_paramgen_curve:P-256
sign cn-only chain.test intermediate-ca 3009 260901000000Z 270901000000Z v3_leaf_no_san

key self-signed -algorithm RSA -pkeyopt rsa_keygen_bits:2048
SAN=DNS:self.test sign self-signed self.test self 4001 260901000000Z 270901000000Z v3_self

key ed25519 -algorithm ED25519
SAN=DNS:ed.test sign ed25519 ed.test self 4002 260901000000Z 270901000000Z v3_self none

# Bundles as servers and files hold them: leaf first, then its issuers.
cat "$OUT/leaf.crt" "$OUT/intermediate-ca.crt" > "$OUT/chain.pem"
cat "$OUT/intermediate-ca.crt" "$OUT/leaf.crt" > "$OUT/chain-reversed.pem"
cat "$OUT/leaf.crt" "$OUT/intermediate-ca.crt" "$OUT/root-ca.crt" > "$OUT/chain-with-root.pem"
cat "$OUT/wrong-host.crt" "$OUT/intermediate-ca.crt" > "$OUT/wrong-host-chain.pem"

# A passphrase-protected copy of the leaf key, for the "encrypted key" reason (passphrase: plumbline).
openssl pkey -in "$OUT/leaf.key" -aes256 -passout pass:plumbline -out "$OUT/leaf-encrypted.key"

echo "wrote $(ls "$OUT" | wc -l) files to $OUT"
