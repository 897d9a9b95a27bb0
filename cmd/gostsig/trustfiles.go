package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
)

// Trust files (--roots, --certs, --crl, crl check --issuer/--crl).
//
// Every file may hold several PEM blocks, and OpenSSL-style bundles mix
// certificates with CRLs (a CAfile with the CRLs appended): the certificate
// flags take the CERTIFICATE (and PKCS7) blocks of a file, --crl its X509
// CRL blocks, and other block types are ignored. A file named on the
// command line must yield at least one item of the kind asked for; in a
// directory, a file that holds only the other kind (a CRL among the
// certificates, a certificate among the CRLs) or no PEM block of either kind
// is skipped. Each certificate and CRL goes to gostsig.Config as one DER
// element, so the Verifier never depends on how the files were bundled.
// Errors name the flag, what it wants, the file and (from cert/crl) the PEM
// block: "--roots /x/ca.pem (root certificates): block 2: cert: malformed
// validity". A file that cannot be read is exit status 66; one that reads
// but does not parse is a bad argument, 64, for verify and serve (their
// documented contract) — "crl check" and "crl fetch" map both to 66
// (asNoInput).

var (
	certExts = []string{".cer", ".crt", ".pem", ".der", ".p7b", ".p7c"}
	crlExts  = []string{".crl", ".pem", ".der"}
)

// certPEMTypes are the PEM block types cert.ParseAll reads.
var certPEMTypes = []string{"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PKCS7", "CMS"}

// trustFile is one file of a trust flag; inDir says it was found in a
// directory rather than named.
type trustFile struct {
	path  string
	data  []byte
	inDir bool
}

// readTrustFiles reads every file named, and in a named directory every
// regular file with one of exts (not recursive, hidden files skipped).
func readTrustFiles(flagName string, paths, exts []string) ([]trustFile, error) {
	var out []trustFile
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, trustFileErr(flagName, p, err)
		}
		if !fi.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, trustFileErr(flagName, p, err)
			}
			out = append(out, trustFile{path: p, data: b})
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, trustFileErr(flagName, p, err)
		}
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, ".") || !hasExt(name, exts) {
				continue
			}
			fp := filepath.Join(p, name)
			if fi, err := os.Stat(fp); err != nil || !fi.Mode().IsRegular() {
				continue // a dangling link or a subdirectory named like a file
			}
			b, err := os.ReadFile(fp)
			if err != nil {
				return nil, trustFileErr(flagName, fp, err)
			}
			out = append(out, trustFile{path: fp, data: b, inDir: true})
		}
	}
	return out, nil
}

// flagWants says what each trust flag reads, for error messages.
var flagWants = map[string]string{
	"--roots":         "root certificates",
	"--certs":         "certificates",
	"--crl":           "CRLs",
	"--issuer":        "issuer certificates",
	"--ocsp-response": "OCSP response",
}

// trustFileErr is the error of a trust file: the flag, what it wants, the
// path and the cause without the path repeated ("open /x: no such
// file…"). A file that cannot be read is exit 66, one that does not parse
// exit 64.
func trustFileErr(flagName, path string, err error) error {
	status := exitUsage
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err, status = pe.Err, exitNoInput
		switch {
		case errors.Is(err, fs.ErrNotExist):
			err = errors.New("файл не найден")
		case errors.Is(err, fs.ErrPermission):
			err = errors.New("нет прав на чтение файла")
		}
	}
	name := path
	if flagName != "" {
		name = flagName + " " + path
		if w := flagWants[flagName]; w != "" {
			name += " (" + w + ")"
		}
	}
	return &cliError{status: status, err: fmt.Errorf("%s: %w", name, err)}
}

// asNoInput makes an input error exit 66 whatever its kind: for the
// commands whose contract says a file that cannot be used is 66.
func asNoInput(err error) error {
	var ce *cliError
	if errors.As(err, &ce) && ce.status == exitUsage {
		return noInputErr(ce.err)
	}
	return err
}

// loadCertDERs returns the DER of every certificate in the files and
// directories of a certificate flag.
func loadCertDERs(flagName string, paths []string) ([][]byte, error) {
	certs, err := loadCertFiles(flagName, paths)
	if err != nil {
		return nil, err
	}
	ders := make([][]byte, len(certs))
	for i, c := range certs {
		ders[i] = c.Raw
	}
	return ders, nil
}

// loadCertFiles parses the certificates of the files and directories of a
// certificate flag.
func loadCertFiles(flagName string, paths []string) ([]*cert.Certificate, error) {
	files, err := readTrustFiles(flagName, paths, certExts)
	if err != nil {
		return nil, err
	}
	var out []*cert.Certificate
	for _, f := range files {
		cs, err := cert.ParseAll(f.data)
		if err != nil {
			if f.inDir && !holdsCertificates(f.data) {
				continue // a CRL or a key beside the certificates
			}
			return nil, trustFileErr(flagName, f.path, err)
		}
		out = append(out, cs...)
	}
	return out, nil
}

// loadCRLDERs returns the DER of every CRL in the files and directories of
// a CRL flag, one element per CRL, each checked to parse.
func loadCRLDERs(flagName string, paths []string) ([][]byte, error) {
	_, ders, err := loadCRLFiles(flagName, paths)
	return ders, err
}

// loadCRLFiles parses the CRLs of the files and directories of a CRL flag.
func loadCRLFiles(flagName string, paths []string) ([]*crl.CRL, [][]byte, error) {
	files, err := readTrustFiles(flagName, paths, crlExts)
	if err != nil {
		return nil, nil, err
	}
	var crls []*crl.CRL
	var ders [][]byte
	for _, f := range files {
		cs, ds, err := crl.ParseBundle(f.data)
		if err != nil {
			if f.inDir && !holdsCRLs(f.data) {
				continue // a certificate or a key beside the CRLs
			}
			return nil, nil, trustFileErr(flagName, f.path, err)
		}
		crls = append(crls, cs...)
		ders = append(ders, ds...)
	}
	return crls, ders, nil
}

// holdsCertificates reports whether a file that failed cert.ParseAll was
// meant as certificates: PEM with a certificate block, or binary input that
// is not a CRL. A CRL or key file in a certificate directory is not.
func holdsCertificates(data []byte) bool {
	if isPEM(data) {
		return hasPEMBlock(data, certPEMTypes...)
	}
	_, _, err := crl.ParseBundle(data)
	return err != nil
}

// holdsCRLs is holdsCertificates for CRL directories.
func holdsCRLs(data []byte) bool {
	if isPEM(data) {
		return hasPEMBlock(data, "X509 CRL")
	}
	_, err := cert.ParseAll(data)
	return err != nil
}

func isPEM(data []byte) bool {
	return (len(data) == 0 || data[0] != 0x30) && bytes.Contains(data, []byte("-----BEGIN"))
}

// hasPEMBlock reports whether data has a BEGIN line of one of the types;
// it reads the lines, not the blocks, so a broken block still counts.
func hasPEMBlock(data []byte, types ...string) bool {
	for _, t := range types {
		if bytes.Contains(data, []byte("-----BEGIN "+t+"-----")) {
			return true
		}
	}
	return false
}
