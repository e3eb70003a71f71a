package web

import (
	"net/http"

	"github.com/hearth-org/hearth/internal/app"
)

// apiExport answers the signed-in person's archive (the same document as
// the page's download).
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) error {
	return s.writeExport(w, r)
}

// apiEraseAccount deletes the signed-in person's account: the body gives
// the password and, with a second factor, the current code. 204 when done.
func (s *Server) apiEraseAccount(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
		Code     string `json:"code"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.app.EraseAccount(r.Context(), visitorOf(r).Actor, app.EraseInput{Password: in.Password, Code: in.Code, Addr: s.clientAddr(r)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
