package web

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Export of one's own data (issue 7 §2): a page that says what the archive
// holds, with a button; the POST answers the archive as a download.

type exportPage struct {
	base
}

func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) error {
	p := &exportPage{}
	p.Title = s.locale(r).T("privacy.export_title")
	s.render(w, r, http.StatusOK, "export", p)
	return nil
}

// exportDownload makes the archive and serves it as an attachment.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) error {
	return s.writeExport(w, r)
}

// writeExport answers the signed-in person's archive as a JSON attachment
// named hearth-export-YYYY-MM-DD.json (pages and API alike).
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request) error {
	x, err := s.app.ExportMyData(r.Context(), visitorOf(r).Actor)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return fmt.Errorf("encode export: %w", err)
	}
	name := "hearth-export-" + x.ExportedAt.UTC().Format("2006-01-02") + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
	return nil
}
