package docx

import (
	"encoding/binary"
	"fmt"
	"io"
)

// checkDirectory reads the zip's end-of-directory record the way
// archive/zip finds it, before archive/zip is given the file, and refuses
// a directory that declares more entries than Limits.Entries, is larger
// than Limits.DirectoryBytes, or does not end where the end record
// begins. archive/zip reads every directory header it finds, past the
// count the end record declares, and builds a File for each before the
// caller can count them: a 20 MB file of minimal headers would be some
// 400,000 of them. With the directory ending where the end record begins,
// the headers it can find are those within the declared size.
func checkDirectory(r io.ReaderAt, size int64, lim Limits) error {
	const (
		endLen       = 22 // end of central directory record, without comment
		end64LocLen  = 20
		end64Len     = 56
		sigEnd       = 0x06054b50
		sigEnd64Loc  = 0x07064b50
		sigEnd64     = 0x06064b50
		maxSearchLen = 65 * 1024
	)
	if size < endLen {
		return fmt.Errorf("%w: zip: too short", ErrDamaged)
	}
	n := min(size, maxSearchLen)
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return fmt.Errorf("%w: zip: %v", ErrDamaged, err)
	}
	at := -1
	for i := len(buf) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigEnd {
			comment := int(binary.LittleEndian.Uint16(buf[i+endLen-2:]))
			if i+endLen+comment <= len(buf) {
				at = i
				break
			}
		}
	}
	if at < 0 {
		return fmt.Errorf("%w: zip: no end of directory record", ErrDamaged)
	}
	rec := buf[at:]
	endOffset := size - n + int64(at)
	entries := uint64(binary.LittleEndian.Uint16(rec[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(rec[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(rec[16:]))
	dirEnd := endOffset // where the directory must end
	if entries == 0xffff || dirSize == 0xffffffff || dirOffset == 0xffffffff {
		// Zip64: the locator just before the end record points at the
		// zip64 end record, which holds the real figures.
		loc := make([]byte, end64LocLen)
		if endOffset < end64LocLen {
			return fmt.Errorf("%w: zip: no zip64 locator", ErrDamaged)
		}
		if _, err := r.ReadAt(loc, endOffset-end64LocLen); err != nil {
			return fmt.Errorf("%w: zip: %v", ErrDamaged, err)
		}
		if binary.LittleEndian.Uint32(loc) == sigEnd64Loc {
			recOffset := binary.LittleEndian.Uint64(loc[8:])
			if recOffset > uint64(size-end64Len) {
				return fmt.Errorf("%w: zip: zip64 end record out of the file", ErrDamaged)
			}
			r64 := make([]byte, end64Len)
			if _, err := r.ReadAt(r64, int64(recOffset)); err != nil {
				return fmt.Errorf("%w: zip: %v", ErrDamaged, err)
			}
			if binary.LittleEndian.Uint32(r64) != sigEnd64 {
				return fmt.Errorf("%w: zip: bad zip64 end record", ErrDamaged)
			}
			entries = binary.LittleEndian.Uint64(r64[32:])
			dirSize = binary.LittleEndian.Uint64(r64[40:])
			dirOffset = binary.LittleEndian.Uint64(r64[48:])
			dirEnd = int64(recOffset)
		}
	}
	if entries > uint64(lim.Entries) {
		return &LimitError{What: "zip entries", Limit: int64(lim.Entries)}
	}
	if dirSize > uint64(lim.DirectoryBytes) {
		return &LimitError{What: "zip directory size", Limit: lim.DirectoryBytes}
	}
	if dirOffset > uint64(size) || dirOffset+dirSize != uint64(dirEnd) {
		return fmt.Errorf("%w: zip: the directory does not end where its end record begins", ErrDamaged)
	}
	return nil
}
