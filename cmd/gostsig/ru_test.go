package main

import (
	"errors"
	"io/fs"
	"testing"
)

// Every reason a directory file is skipped for has its Russian text.
func TestSkipReasonRU(t *testing.T) {
	for _, why := range []string{skipHiddenDir, skipHiddenFile, skipDangling, skipDirLink, skipNotRegular, skipBundle,
		skipEmpty, skipWhiteSpace, skipBinary, skipUnsignedXML, skipNeither} {
		if ru := skipReasonRU(why); ru == why || ru == "" {
			t.Errorf("%q has no Russian text", why)
		}
	}
	if got := skipReasonRU(sniffBytes([]byte("-----BEGIN CERTIFICATE-----\n")).why); got != "PEM CERTIFICATE, не подпись" {
		t.Errorf("PEM: %q", got)
	}
}

func TestFileErrRU(t *testing.T) {
	missing := &fs.PathError{Op: "open", Path: "/x/a.p7s", Err: fs.ErrNotExist}
	for _, tc := range []struct {
		err    error
		want   string
		status int
	}{
		{missing, "/x/a.p7s: файл не найден", 0},
		{noInputErr(missing), "/x/a.p7s: файл не найден", exitNoInput},
		{&fs.PathError{Op: "open", Path: "/x/b", Err: fs.ErrPermission}, "/x/b: нет прав на чтение файла", 0},
		{usageErr("--crl x (CRLs): %w", missing), "--crl x (CRLs): open /x/a.p7s: file does not exist", exitUsage},
	} {
		got := fileErrRU(tc.err)
		if got.Error() != tc.want {
			t.Errorf("%v: %q, want %q", tc.err, got, tc.want)
		}
		var ce *cliError
		if tc.status != 0 && (!errors.As(got, &ce) || ce.status != tc.status) {
			t.Errorf("%v: exit status lost: %#v", tc.err, got)
		}
	}
}
