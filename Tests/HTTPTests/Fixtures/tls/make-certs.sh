#!/usr/bin/env bash
# Regenerates the test-only TLS fixtures in this folder with the openssl CLI:
# a test CA, a server certificate for localhost + 127.0.0.1 + ::1 (SAN) and
# one for a wrong name (wrong.invalid), all EC P-256, valid for 100 years.
# Only needed to change the fixtures; the tests read the committed PEM files.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500

openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca-key.pem"
openssl req -x509 -new -key "$work/ca-key.pem" -sha256 -days $days \
  -subj "/CN=joelclaw system bus test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem

issue() {  # name, subject CN, subjectAltName
  openssl ecparam -name prime256v1 -genkey -noout -out "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "/CN=$2" -out "$work/$1.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" > "$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA ca.pem -CAkey "$work/ca-key.pem" -CAcreateserial \
    -days $days -sha256 -extfile "$work/$1.ext" -out "$1.pem"
}
issue server localhost "DNS:localhost,IP:127.0.0.1,IP:::1"
issue wrong wrong.invalid "DNS:wrong.invalid"
rm -f ca.srl
