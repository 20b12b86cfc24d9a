package modeltest

import (
	"fmt"
	"os"
	"testing"
)

// Notice tells whoever runs the tests that something is skipped, and why. `go test ./...` keeps a passing
// package's output to itself unless -v is given, so a line on this process's standard error alone would be
// lost: without -v the line also goes to the go command's own standard error (this process's parent, reached
// through /proc on Linux) when that is a terminal or a pipe. A file is left alone: the go command writes it at
// its own offset and would write over the line.
func Notice(format string, args ...any) {
	line := "NOTICE: " + fmt.Sprintf(format, args...) + "\n"
	// Kept with the package's output: shown with -v, in -json, and when the package fails.
	fmt.Fprint(os.Stderr, line)
	if !testing.Verbose() {
		toGoCommand(line)
	}
}

func toGoCommand(line string) {
	path := fmt.Sprintf("/proc/%d/fd/2", os.Getppid())
	info, err := os.Stat(path)
	if err != nil || info.Mode()&(os.ModeNamedPipe|os.ModeCharDevice) == 0 {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprint(f, line)
}
