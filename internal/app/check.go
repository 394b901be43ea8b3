package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"cchc/internal/database"
	"cchc/internal/media"
	"cchc/internal/publog"
	"cchc/internal/store"
)

// startCheckWait is how long serve waits for its integrity check before it
// serves: not at all. PRAGMA quick_check reads every page — about 2 s on
// the 10,000-item corpus (docs/RELIABILITY.md), more than 5 s at 100,000 —
// so the public is answered at once (reads cannot make damage worse, and
// a damaged page read is a 503) while every write waits for the check
// (database.DB.HoldWrites): nothing is written into the file before it is
// known to be sound, and a damaged file then refuses the write.
const startCheckWait = 0

// checkAtStart runs PRAGMA quick_check in the background, holding every
// write until it is done, and waits up to wait for it. Damage found marks
// the database damaged, which refuses every write and is logged at error
// level (see newEnv).
func (e *Env) checkAtStart(ctx context.Context, bg *sync.WaitGroup, wait time.Duration) {
	release := e.DB.HoldWrites()
	done := make(chan struct{})
	bg.Go(func() {
		defer close(done)
		defer release()
		start := time.Now()
		problems, err := e.DB.QuickCheck(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
		case err != nil:
			e.Log.Error("integrity check at start could not run", slog.Any("err", err))
		case len(problems) > 0:
			e.DB.MarkDamaged(fmt.Sprintf("PRAGMA quick_check found %d problems: %s", len(problems), strings.Join(problems[:min(3, len(problems))], "; ")))
		default:
			e.Log.Info("integrity check at start: ok", slog.Duration("took", time.Since(start).Round(time.Millisecond)))
		}
	})
	select {
	case <-done:
	case <-ctx.Done():
	case <-time.After(wait):
		e.Log.Info("integrity check at start continues in the background; writes wait for it", slog.Duration("waited", wait))
	}
}

// check runs `cchc check`: the full integrity check of the database, its
// foreign keys, the publication log's chain and the media files its rows
// name. It opens the data folder read-only, so it also checks a copy made
// read-only, and may run beside the server. Exit 0 when all holds, 1 with
// what is wrong and how to restore from a backup.
func (c *cli) check(ctx context.Context, args []string) int {
	cfg, fs, code := c.flags("check", "[--data THƯ_MỤC]", args, "data")
	if code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "cchc check: không nhận đối số %q\n", fs.Arg(0))
		return exitUsage
	}
	data, err := filepath.Abs(cfg.Data)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc check: --data: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	rep, err := Check(ctx, data)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc check: %v\n", err)
		return exitFail
	}
	rep.write(c.stdout)
	if rep.OK() {
		fmt.Fprintf(c.stdout, "Dữ liệu toàn vẹn (kiểm tra trong %s).\n", time.Since(start).Round(time.Millisecond))
		return exitOK
	}
	fmt.Fprintf(c.stderr, "cchc check: dữ liệu trong %s có %d vấn đề (xem ở trên).\n", data, rep.Problems())
	rep.writeRestore(c.stderr)
	return exitFail
}

// CheckReport is what `cchc check` found, step by step.
type CheckReport struct {
	Data string // the data folder
	// Open is why the database could not be opened for reading ("" when
	// it could); the other steps did not run then.
	Open string
	// Schema says the database lacks migrations ("" when current); the
	// log and media steps did not run then.
	Schema      string
	Integrity   []string // PRAGMA integrity_check, with the tree each line is about
	ForeignKeys []string
	Log         string // the chain's problem, "" when it holds
	LogRows     int
	LogHead     string
	Media       []string // missing or wrong media files
	MediaFiles  int
}

// Problems counts what is wrong.
func (r *CheckReport) Problems() int {
	n := len(r.Integrity) + len(r.ForeignKeys) + len(r.Media)
	for _, s := range []string{r.Open, r.Schema, r.Log} {
		if s != "" {
			n++
		}
	}
	return n
}

// OK reports whether nothing is wrong.
func (r *CheckReport) OK() bool { return r.Problems() == 0 }

// integrityLines bounds the lines of PRAGMA integrity_check read.
const integrityLines = 100

// Check checks the data folder data (see cchc check). An error means the
// check could not run (no database there, or the context ended); damage
// is in the report.
func Check(ctx context.Context, data string) (*CheckReport, error) {
	r := &CheckReport{Data: data}
	path := filepath.Join(data, database.FileName)
	db, err := database.OpenReadOnly(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, readOnlyError(path, err) // nothing to check: a wrong --data
		}
		r.Open = readOnlyError(path, err).Error()
		return r, nil
	}
	defer db.Close()
	lines, err := db.IntegrityCheck(ctx, integrityLines)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		lines = []string{err.Error()}
	}
	names := treeNames(ctx, db)
	for _, l := range lines {
		if strings.HasPrefix(l, "*** in database ") {
			continue // a heading, not a problem
		}
		r.Integrity = append(r.Integrity, l+names.about(l))
	}
	fks, err := db.ForeignKeyCheck(ctx)
	if err != nil {
		r.ForeignKeys = append(r.ForeignKeys, "không chạy được: "+err.Error())
	}
	for _, p := range fks {
		row := "một hàng" // a WITHOUT ROWID table has no row number
		if p.RowID != 0 {
			row = "hàng " + strconv.FormatInt(p.RowID, 10)
		}
		r.ForeignKeys = append(r.ForeignKeys, fmt.Sprintf("bảng %s, %s: trỏ tới một hàng không có trong bảng %s", p.Table, row, p.Parent))
	}
	if err := db.CheckSchema(ctx); err != nil {
		r.Schema = readOnlyError(path, err).Error()
		return r, nil
	}
	st := store.New(db)
	chain, err := publog.New(st, nil).Verify(ctx)
	switch {
	case err != nil:
		r.Log = "không đọc được: " + err.Error()
	case !chain.OK():
		r.Log = chain.Problem.Error()
		r.LogRows = chain.Rows
	default:
		r.LogRows, r.LogHead = chain.Rows, chain.Head
	}
	r.checkMedia(ctx, st)
	return r, ctx.Err()
}

// checkMedia checks that every file the media table names is in media/
// with the size of its row and the SHA-256 its name promises.
func (r *CheckReport) checkMedia(ctx context.Context, st *store.Store) {
	rows, err := st.AllMedia(ctx)
	if err != nil {
		r.Media = append(r.Media, "không đọc được bảng media: "+err.Error())
		return
	}
	dir := st.MediaDir()
	for _, m := range rows {
		if ctx.Err() != nil {
			return
		}
		r.MediaFiles++
		if !media.ValidName(m.Name) {
			r.Media = append(r.Media, fmt.Sprintf("bảng media có tên tệp không hợp lệ %q", m.Name))
			continue
		}
		f, err := os.Open(filepath.Join(dir, m.Name))
		if errors.Is(err, os.ErrNotExist) {
			r.Media = append(r.Media, fmt.Sprintf("%s: không có trong %s", m.Name, dir))
			continue
		}
		if err != nil {
			r.Media = append(r.Media, fmt.Sprintf("%s: %v", m.Name, err))
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		sum := hex.EncodeToString(h.Sum(nil))
		switch {
		case err != nil:
			r.Media = append(r.Media, fmt.Sprintf("%s: %v", m.Name, err))
		case n != m.Size:
			r.Media = append(r.Media, fmt.Sprintf("%s: dài %d byte, bảng media ghi %d byte", m.Name, n, m.Size))
		case !strings.HasPrefix(m.Name, sum+"."):
			r.Media = append(r.Media, fmt.Sprintf("%s: nội dung không khớp với tên (SHA-256 %s)", m.Name, sum))
		}
	}
}

func (r *CheckReport) write(w io.Writer) {
	fmt.Fprintf(w, "Kiểm tra dữ liệu trong %s:\n", r.Data)
	if r.Open != "" {
		fmt.Fprintf(w, "  Không mở được cơ sở dữ liệu: %s\n", r.Open)
		return
	}
	list := func(title string, lines []string, good string) {
		if len(lines) == 0 {
			fmt.Fprintf(w, "  %s: %s\n", title, good)
			return
		}
		fmt.Fprintf(w, "  %s: HỎNG, %d lỗi:\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintf(w, "    - %s\n", l)
		}
	}
	list("Cấu trúc cơ sở dữ liệu (PRAGMA integrity_check; thông báo của SQLite)", r.Integrity, "tốt")
	list("Liên kết giữa các bảng (PRAGMA foreign_key_check)", r.ForeignKeys, "tốt")
	if r.Schema != "" {
		fmt.Fprintf(w, "  Chưa kiểm tra nhật ký xuất bản và tệp đính kèm: %s\n", r.Schema)
		return
	}
	if r.Log != "" {
		fmt.Fprintf(w, "  Nhật ký xuất bản: KHÔNG toàn vẹn: %s\n", r.Log)
	} else {
		fmt.Fprintf(w, "  Nhật ký xuất bản: toàn vẹn, %d hàng, mã băm cuối chuỗi %s\n", r.LogRows, r.LogHead)
	}
	list(fmt.Sprintf("Tệp đính kèm (%d tệp trong bảng media)", r.MediaFiles), r.Media, "đủ và đúng nội dung")
}

// writeRestore says how to restore from a backup.
func (r *CheckReport) writeRestore(w io.Writer) {
	d := r.Data
	if r.Open == "" && r.Schema != "" && len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 {
		fmt.Fprintf(w, "Cơ sở dữ liệu không hỏng nhưng chưa được nâng cấp: chạy cchc serve --data %s một lần rồi kiểm tra lại.\n", d)
		return
	}
	if r.Open == "" && r.Schema == "" && len(r.Integrity) == 0 && len(r.ForeignKeys) == 0 && r.Log == "" {
		fmt.Fprintf(w, "Chỉ tệp đính kèm có vấn đề: chép tệp cùng tên từ thư mục media/ cạnh bản sao lưu (do cchc backup tạo) vào %s, rồi chạy lại cchc check --data %s.\n",
			filepath.Join(d, store.MediaDirName), d)
		return
	}
	fmt.Fprintf(w, `Cách khôi phục từ bản sao lưu (tệp do cchc backup tạo, có thư mục media/ nằm cạnh):
  1. Dừng cchc serve.
  2. Đổi tên thư mục dữ liệu hỏng, ví dụ: mv %[1]s %[1]s-hong (giữ lại để đối chiếu, đừng xóa).
  3. Tạo thư mục dữ liệu trống %[1]s, chép bản sao lưu gần nhất thành %[2]s và thư mục media/ cạnh bản sao lưu thành %[3]s.
  4. Chạy cchc check --data %[1]s; khi lệnh báo dữ liệu toàn vẹn, chạy cchc serve --data %[1]s.
Những thay đổi sau lần sao lưu đó cần làm lại (cchc import thư mục nội dung, hoặc sửa lại trên trang quản trị).
`, d, filepath.Join(d, database.FileName), filepath.Join(d, store.MediaDirName))
}

// trees names the b-trees of the schema by their root page, and indexes by
// name, so that SQLite's lines say which table or index they are about.
type trees struct {
	byRoot  map[int]string
	byIndex map[string]string
}

func treeNames(ctx context.Context, db *database.DB) trees {
	t := trees{byRoot: map[int]string{}, byIndex: map[string]string{}}
	all, _ := db.Trees(ctx) // on a damaged file, what could be read names what it can
	for _, tr := range all {
		if tr.Type == "index" {
			t.byRoot[tr.Root] = fmt.Sprintf("chỉ mục %s của bảng %s", tr.Name, tr.Table)
			t.byIndex[tr.Name] = t.byRoot[tr.Root]
		} else {
			t.byRoot[tr.Root] = "bảng " + tr.Name
		}
	}
	return t
}

var (
	treePageRe = regexp.MustCompile(`^(?:On tree page|Tree) (\d+)`)
	indexRe    = regexp.MustCompile(`index (\S+)$`)
)

// about says which table or index an integrity_check line is about, "" when
// it cannot tell (the line names a page below the tree's root).
func (t trees) about(line string) string {
	if m := treePageRe.FindStringSubmatch(line); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && t.byRoot[n] != "" {
			return " (" + t.byRoot[n] + ")"
		}
	}
	if m := indexRe.FindStringSubmatch(line); m != nil && t.byIndex[m[1]] != "" {
		return " (" + t.byIndex[m[1]] + ")"
	}
	return ""
}
