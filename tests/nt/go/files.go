// File I/O through the os package: create, write, append, read back, stat, rename, list a
// directory, remove; and an error for a missing file.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	dir, err := os.MkdirTemp(".", "gofiles")
	if err != nil {
		fmt.Println("mkdirtemp:", err)
		os.Exit(1)
	}
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("line one\nline two\n"), 0o644); err != nil {
		fmt.Println("write:", err)
	}
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	fmt.Fprintf(f, "line %s\n", "three")
	f.Close()
	st, err := os.Stat(p)
	fmt.Println("size:", st.Size(), err, "dir:", st.IsDir())
	f, _ = os.Open(p)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fmt.Println("read:", sc.Text())
	}
	f.Close()
	// ReadAt and WriteAt: on Windows an OVERLAPPED carries the offset (the file position stays)
	f, _ = os.OpenFile(p, os.O_RDWR, 0)
	at := make([]byte, 3)
	n, err := f.ReadAt(at, 5)
	fmt.Println("readat:", n, err, string(at))
	n, err = f.WriteAt([]byte("ONE"), 5)
	fmt.Println("writeat:", n, err)
	n, err = f.ReadAt(make([]byte, 10), st.Size()-4)
	fmt.Println("readat past the end:", n, err)
	first := make([]byte, 8)
	f.Read(first)
	fmt.Println("position kept:", string(first))
	f.Close()
	for _, n := range []string{"c", "b"} {
		os.WriteFile(filepath.Join(dir, n+".txt"), []byte(n), 0o644)
	}
	os.Rename(filepath.Join(dir, "c.txt"), filepath.Join(dir, "d.txt"))
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	fmt.Println("entries:", names)
	_, err = os.ReadFile(filepath.Join(dir, "missing"))
	fmt.Println("missing is ErrNotExist:", errors.Is(err, fs.ErrNotExist))
	fmt.Println("remove:", os.RemoveAll(dir))
	_, err = os.Stat(dir)
	fmt.Println("gone:", os.IsNotExist(err))
}
