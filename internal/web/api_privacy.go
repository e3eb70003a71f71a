package web

import "net/http"

// apiExport answers the signed-in person's archive (the same document as
// the page's download).
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) error {
	return s.writeExport(w, r)
}
