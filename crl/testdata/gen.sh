#!/bin/sh
# gen.sh regenerates the CRL/OCSP fixtures in crl/testdata/pki with OpenSSL 3
# and the gost engine (Debian: libengine-gost-openssl). The outputs are
# committed; keys are random, so a rerun changes every file and the tests
# that pin digests must be re-pinned with `go test ./crl -update`.
#
#   OPENSSL_CONF=/path/to/openssl-gost.cnf sh crl/testdata/gen.sh
#
# The PKI (all times UTC, fixed so that tests can use fixed times):
#
#   ca        "CRL Test CA" GOST 2012-256 (CryptoPro A), keyCertSign+cRLSign, SKI
#   ca-new    the same name, a new key (key rollover), its own SKI
#   ca512     "CRL Test CA 512" GOST 2012-512 (paramset A), CRLs signed with Streebog-512
#   ca2001    "CRL Test CA 2001" GOST R 34.10-2001 (CryptoPro A), CRLs signed with GOST R 34.11-94
#   nocrlsign "CRL Test CA" too (same name as ca), keyUsage keyCertSign only
#   leaves of ca: good, revoked (keyCompromise, invalidityDate), hold
#   (certificateHold), late (revoked after the base CRL, listed in the delta),
#   subca (a CA certificate, out of scope of the user-only CRL)
#   leaf of ca-new: newleaf; leaf of ca512: leaf512 (revoked); of ca2001: leaf2001 (revoked)
#   ocsp      delegated OCSP responder of ca (extendedKeyUsage OCSPSigning)
#   ocspnoeku a certificate of ca without OCSPSigning (not a responder)
#
# CRLs of ca (thisUpdate .. nextUpdate):
#   jan.crl    #16  2025-01-01 .. 2025-02-01  revoked (keyCompromise 2025-01-10T12, invalid since 2025-01-05),
#                                             hold (2025-01-15); IDP user-only + freshestCRL
#   feb.crl    #32  2025-02-01 .. 2025-03-01  same entries
#   delta.crl  #33  2025-02-10 .. 2025-02-17  delta of #32: hold → removeFromCRL, late revoked
#   mar.crl    #64  2025-03-01 .. 2025-04-01  empty (entries dropped)
#   critical.crl    an unknown critical CRL extension (1.2.643.999.1)
#   new.crl    signed by ca-new, lists nothing of ca
#   nocrlsign.crl   signed by nocrlsign
set -eu
OPENSSL=${OPENSSL:-openssl}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/pki
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
cd "$WORK"

# OPENSSL_CONF (from the caller) loads the engine; ca.cnf is passed with -config.
: "${OPENSSL_CONF:?set OPENSSL_CONF to a config that loads the gost engine}"
cat > ca.cnf <<EOF
[ca]
default_ca = theca
[theca]
dir = $WORK/db/\$ENV::CADB
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $WORK/\$ENV::CADB.pem
private_key = $WORK/\$ENV::CADB.key
default_md = \$ENV::CAMD
policy = policy_any
unique_subject = no
copy_extensions = none
utf8 = yes
string_mask = utf8only
[policy_any]
commonName = supplied
organizationName = optional

[req]
distinguished_name = dn
prompt = no
utf8 = yes
string_mask = utf8only
[dn]
CN = placeholder

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_nocrlsign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
[v3_subca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://127.0.0.1/ca.crl
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://127.0.0.1/ca.crl
authorityInfoAccess = OCSP;URI:http://127.0.0.1/ocsp
[v3_ocsp]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_noeku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[crl_base]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
freshestCRL = URI:http://127.0.0.1/delta.crl
[idp]
fullname = URI:http://127.0.0.1/ca.crl
onlyuser = TRUE
[crl_delta]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
2.5.29.27 = critical, ASN1:INTEGER:32
[crl_plain]
authorityKeyIdentifier = keyid:always
[crl_critical]
authorityKeyIdentifier = keyid:always
1.2.643.999.1 = critical, ASN1:NULL
EOF
C="-config $WORK/ca.cnf"
export CADB=ca CAMD=md_gost12_256

key() { # key NAME ALG PARAMSET
	$OPENSSL genpkey -algorithm "$2" -pkeyopt "paramset:$3" -out "$1.key"
}
newdb() { # newdb NAME SERIAL
	mkdir -p "db/$1"
	: > "db/$1/index.txt"
	echo "$2" > "db/$1/serial"
	echo 01 > "db/$1/crlnumber"
}
selfsigned() { # selfsigned NAME CN MD EXT SERIAL
	newdb "$1" "$5"
	$OPENSSL req $C -new -key "$1.key" -subj "/CN=$2/O=gostsig test" -out "$1.csr"
	CADB=$1 CAMD=$3 $OPENSSL ca $C -batch -selfsign -keyfile "$1.key" -in "$1.csr" -extensions "$4" \
		-startdate 20200101000000Z -enddate 20450101000000Z -notext -out "$1.pem" 2>/dev/null
}
issue() { # issue CA NAME EXT MD
	key "$2" gost2012_256 A
	$OPENSSL req $C -new -key "$2.key" -subj "/CN=$2/O=gostsig test" -out "$2.csr"
	CADB=$1 CAMD=$4 $OPENSSL ca $C -batch -in "$2.csr" -extensions "$3" \
		-startdate 20240101000000Z -enddate 20300101000000Z -notext -out "$2.pem" 2>/dev/null
}
serial() { $OPENSSL x509 -in "$1.pem" -noout -serial | cut -d= -f2; }
revoke() { # revoke CA NAME WHEN[,REASON[,EXTRA]]  (edit the index directly to fix the date)
	s=$(serial "$2")
	awk -v s="$s" -v r="$3" 'BEGIN{FS=OFS="\t"} $4==s {$1="R"; $3=r} {print}' "db/$1/index.txt" > idx.tmp
	mv idx.tmp "db/$1/index.txt"
}
gencrl() { # gencrl CA MD NUMBER(hex) EXTSECTION THIS NEXT OUT
	echo "$3" > "db/$1/crlnumber"
	CADB=$1 CAMD=$2 $OPENSSL ca $C -gencrl -crlexts "$4" -crl_lastupdate "$5" -crl_nextupdate "$6" -out "$7.pem" 2>/dev/null
	$OPENSSL crl -in "$7.pem" -outform DER -out "$OUT/$7"
}

key ca gost2012_256 A
selfsigned ca "CRL Test CA" md_gost12_256 v3_ca 1000
key ca-new gost2012_256 A
$OPENSSL req $C -new -key ca-new.key -subj "/CN=CRL Test CA/O=gostsig test" -out ca-new.csr
newdb ca-new 2000
CADB=ca-new CAMD=md_gost12_256 $OPENSSL ca $C -batch -selfsign -keyfile ca-new.key -in ca-new.csr -extensions v3_ca \
	-startdate 20250101000000Z -enddate 20450101000000Z -notext -out ca-new.pem 2>/dev/null
key nocrlsign gost2012_256 A
$OPENSSL req $C -new -key nocrlsign.key -subj "/CN=CRL Test CA/O=gostsig test" -out nocrlsign.csr
newdb nocrlsign 3000
CADB=nocrlsign CAMD=md_gost12_256 $OPENSSL ca $C -batch -selfsign -keyfile nocrlsign.key -in nocrlsign.csr \
	-extensions v3_nocrlsign -startdate 20200101000000Z -enddate 20450101000000Z -notext -out nocrlsign.pem 2>/dev/null
key ca512 gost2012_512 A
selfsigned ca512 "CRL Test CA 512" md_gost12_512 v3_ca 4000
key ca2001 gost2001 A
selfsigned ca2001 "CRL Test CA 2001" md_gost94 v3_ca 5000

for n in good revoked hold late; do issue ca "$n" v3_leaf md_gost12_256; done
issue ca subca v3_subca md_gost12_256
issue ca ocsp v3_ocsp md_gost12_256
issue ca ocspnoeku v3_noeku md_gost12_256
issue ca-new newleaf v3_leaf md_gost12_256
issue ca512 leaf512 v3_leaf md_gost12_512
issue ca2001 leaf2001 v3_leaf md_gost94

revoke ca revoked 250110120000Z,keyTime,20250105000000Z
revoke ca hold 250115000000Z,holdInstruction,holdInstructionReject
gencrl ca md_gost12_256 10 crl_base 20250101000000Z 20250201000000Z jan.crl
gencrl ca md_gost12_256 20 crl_base 20250201000000Z 20250301000000Z feb.crl
gencrl ca md_gost12_256 30 crl_critical 20250201000000Z 20250301000000Z critical.crl
cp db/ca/index.txt base-index.txt
# The delta lists only what changed since #32 (0x20).
: > db/ca/index.txt
grep -P "\t$(serial hold)\t" base-index.txt >> db/ca/index.txt
grep -P "\t$(serial late)\t" base-index.txt >> db/ca/index.txt
revoke ca hold 250212000000Z,removeFromCRL
revoke ca late 250211000000Z,superseded
gencrl ca md_gost12_256 21 crl_delta 20250210000000Z 20250217000000Z delta.crl
# March: both certificates have "expired" from the list (an empty CRL), as
# CAs drop expired certificates: a time-stamped query for January must still
# find the January revocation.
: > db/ca/index.txt
gencrl ca md_gost12_256 40 crl_base 20250301000000Z 20250401000000Z mar.crl
cp base-index.txt db/ca/index.txt

revoke ca-new newleaf 250301000000Z,keyCompromise
gencrl ca-new md_gost12_256 01 crl_plain 20250301000000Z 20250401000000Z new.crl
gencrl nocrlsign md_gost12_256 01 crl_plain 20250101000000Z 20250201000000Z nocrlsign.crl
revoke ca512 leaf512 250110000000Z,cessationOfOperation
gencrl ca512 md_gost12_512 07 crl_plain 20250101000000Z 20250201000000Z ca512.crl
revoke ca2001 leaf2001 180110000000Z,affiliationChanged
gencrl ca2001 md_gost94 05 crl_plain 20180101000000Z 20180201000000Z ca2001.crl
cp jan.crl.pem "$OUT/jan.crl.pem"

# OCSP: requests with a nonce; responses by the delegated responder, by the CA
# itself and by a certificate without OCSPSigning. The index marks "revoked"
# as revoked; OpenSSL stamps producedAt/thisUpdate with the current time.
for n in good revoked; do
	$OPENSSL ocsp -issuer ca.pem -cert "$n.pem" -reqout "$OUT/ocsp-req-$n.der" -nonce
done
$OPENSSL ocsp -issuer ca.pem -cert good.pem -reqout "$OUT/ocsp-req-good-nononce.der" -no_nonce
resp() { # resp REQ SIGNER OUT [extra]
	req=$1 signer=$2 out=$3; shift 3
	$OPENSSL ocsp -index db/ca/index.txt -CA ca.pem -rsigner "$signer.pem" -rkey "$signer.key" \
		-rmd md_gost12_256 -reqin "$OUT/$req" -respout "$OUT/$out" -ndays 7 "$@" >/dev/null 2>&1
}
resp ocsp-req-good.der ocsp ocsp-good.der
resp ocsp-req-revoked.der ocsp ocsp-revoked.der
resp ocsp-req-good.der ca ocsp-good-by-ca.der -resp_key_id
resp ocsp-req-good.der ocspnoeku ocsp-good-noeku.der
resp ocsp-req-good-nononce.der ocsp ocsp-good-nononce.der

for n in ca ca-new nocrlsign ca512 ca2001 good revoked hold late subca ocsp ocspnoeku newleaf leaf512 leaf2001; do
	cp "$n.pem" "$OUT/$n.pem"
done
echo "fixtures written to $OUT"
