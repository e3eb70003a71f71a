//go:build !unix

package sqldb

import (
	"fmt"
	"os"
)

// lockFile, where flock is missing, makes a marker file beside the lock
// file with O_EXCL: ErrLockHeld when it exists. Unlike flock, a crash
// leaves it behind; remove it by hand once no rotation runs.
func lockFile(f *os.File) error {
	m, err := os.OpenFile(f.Name()+".held", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if os.IsExist(err) {
		return ErrLockHeld
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return m.Close()
}

func unlockFile(f *os.File) { os.Remove(f.Name() + ".held") }
