// Command gostsig verifies Russian qualified electronic signatures (GOST R
// 34.10-2012/2001) in CMS/CAdES files and SMEV XML messages, serves the same
// checks over HTTP and writes the expert-commission conclusion.
//
// Usage:
//
//	gostsig hash [-a streebog256|streebog512|gostr341194] [FILE...]
//	gostsig verify [flags] SIGNATURE [CONTENT]
//	gostsig report [flags] CASE
//	gostsig serve [--addr HOST:PORT] [flags]
//
// Each subcommand lives in its own file and registers itself in init, so
// that the subcommands can grow without touching one another.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Exit statuses shared by every subcommand (sysexits.h where one applies;
// see ../../../shared/docs/interfaces.md).
const (
	exitOK      = 0
	exitFailed  = 1  // verify: TOTAL_FAILED; other commands: the operation failed
	exitIndet   = 2  // verify: INDETERMINATE
	exitUsage   = 64 // EX_USAGE: bad flags or arguments
	exitNoInput = 66 // EX_NOINPUT: an input file cannot be read
)

// Version is the software version printed by "gostsig version" and written
// into reports; set it at link time with -ldflags "-X main.Version=v1.2.3".
var Version = "devel"

// command is one subcommand. run receives the arguments after the
// subcommand name and returns the process exit status.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; it is called from the init function of the
// file that implements it.
func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	if _, dup := commands[name]; dup {
		panic("gostsig: duplicate command " + name)
	}
	commands[name] = command{summary: summary, run: run}
}

func init() {
	register("version", "print the version", func(_ []string, stdout, _ io.Writer) int {
		fmt.Fprintf(stdout, "gostsig %s\n", Version)
		return exitOK
	})
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "gostsig: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gostsig <command> [flags] [args]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'gostsig <command> -h' for the flags of a command.")
}
