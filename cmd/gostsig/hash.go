package main

import (
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"

	"gostsig.dev/gostsig/gost341194"
	"gostsig.dev/gostsig/streebog"
)

// hashAlgorithms are the names "gostsig hash -a" accepts
// (../../../shared/docs/interfaces.md).
var hashAlgorithms = map[string]func() hash.Hash{
	"streebog256": streebog.New256,
	"streebog512": streebog.New512,
	"gostr341194": gost341194.New, // CryptoPro S-box, as GOST R 34.10-2001 uses
}

// hashStdin is what "gostsig hash" reads for "-" or when given no file;
// tests replace it.
var hashStdin io.Reader = os.Stdin

// hashBufSize is the read buffer of "gostsig hash".
const hashBufSize = 64 << 10

func init() {
	register("hash", "print GOST hashes of files, like sha256sum", runHash)
}

// runHash implements "gostsig hash [-a ALG] [FILE...]": one line
// "<hex>  <name>" per input, as sha256sum prints them. An input that cannot
// be read gets a one-line error on stderr, the others are still hashed, and
// the exit status is exitNoInput.
func runHash(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gostsig hash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alg := fs.String("a", "streebog256", "hash `algorithm`: streebog256, streebog512 or gostr341194")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gostsig hash [-a streebog256|streebog512|gostr341194] [FILE...]")
		fmt.Fprintln(stderr, "With no FILE, or when FILE is -, read standard input.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	newHash, ok := hashAlgorithms[strings.ToLower(*alg)] // as --content-hash takes them
	if !ok {
		fmt.Fprintf(stderr, "gostsig hash: unknown algorithm %q (want streebog256, streebog512 or gostr341194)\n", *alg)
		return exitUsage
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	status := exitOK
	h := newHash()
	buf := make([]byte, hashBufSize)
	var line []byte
	for _, name := range names {
		h.Reset()
		if err := hashInput(h, name, buf); err != nil {
			fmt.Fprintf(stderr, "gostsig hash: %s\n", err)
			status = exitNoInput
			continue
		}
		// Build the whole line first and write it at once, so that no
		// half line is ever printed.
		line = appendHashLine(line[:0], h.Sum(buf[:0]), name)
		if _, err := stdout.Write(line); err != nil {
			fmt.Fprintf(stderr, "gostsig hash: writing output: %v\n", err)
			return exitFailed
		}
	}
	return status
}

// hashInput feeds the named file, or standard input for "-", into h. Its
// error names the input and says what is wrong in one line.
func hashInput(h hash.Hash, name string, buf []byte) error {
	if name == "-" {
		if _, err := io.CopyBuffer(h, hashStdin, buf); err != nil {
			return fmt.Errorf("-: reading standard input: %v", err)
		}
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("%s: %v", name, pathErrReason(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("%s: %v", name, pathErrReason(err))
	} else if fi.IsDir() {
		return fmt.Errorf("%s: is a directory", name)
	}
	// io.CopyBuffer would hand f to h's ReadFrom if it had one; hashes
	// have none, so buf is used.
	if _, err := io.CopyBuffer(h, f, buf); err != nil {
		return fmt.Errorf("%s: %v", name, pathErrReason(err))
	}
	return nil
}

// pathErrReason strips the operation and path that *os.PathError repeats,
// leaving the reason ("no such file or directory").
func pathErrReason(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// appendHashLine appends "<hex>  <name>\n". As GNU sha256sum does, a name
// containing a newline, a carriage return or a backslash is escaped and the
// line starts with a backslash, so that every input is exactly one line.
func appendHashLine(b, sum []byte, name string) []byte {
	if strings.ContainsAny(name, "\\\n\r") {
		b = append(b, '\\')
		name = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`).Replace(name)
	}
	const hexDigits = "0123456789abcdef"
	for _, c := range sum {
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	b = append(b, ' ', ' ')
	b = append(b, name...)
	return append(b, '\n')
}
