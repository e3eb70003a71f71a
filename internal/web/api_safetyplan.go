package web

import (
	"net/http"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
)

// The safety plan in the API: GET, PUT and DELETE /api/v1/account/safety-plan,
// the caller's own plan only (there is no route naming another person's).
// The export download (/account/safety-plan.json) is the GET answer as a
// file.

// safetyPlanJSON is a person's plan as the API and the export give it.
type safetyPlanJSON struct {
	Version       int               `json:"version"`  // the version shown; 0: no plan yet
	SavedAt       *string           `json:"saved_at"` // null when there is no plan
	LatestVersion int               `json:"latest_version"`
	VersionsKept  int               `json:"versions_kept"`
	Versions      []planVersionJSON `json:"versions"`
	Plan          hearth.SafetyPlan `json:"plan"`
}

type planVersionJSON struct {
	Version int    `json:"version"`
	SavedAt string `json:"saved_at"`
}

// savedPlanJSON answers a save: the plan as stored, how many old versions
// the save deleted, and, when what was written reads as a crisis, the help
// to show the writer at once.
type savedPlanJSON struct {
	safetyPlanJSON
	Pruned int64        `json:"pruned"`
	Safety *supportJSON `json:"safety,omitempty"` // nobody else is told: staff_told is false
}

// plainPlan gives every section as a list, empty rather than null.
func plainPlan(p hearth.SafetyPlan) hearth.SafetyPlan {
	for _, s := range hearth.PlanSections() {
		if hearth.PlanSectionHasContacts(s) {
			if p.Contacts(s) == nil {
				p.SetContacts(s, []hearth.PlanContact{})
			}
			continue
		}
		if p.Lines(s) == nil {
			p.SetLines(s, []string{})
		}
	}
	return p
}

func newSafetyPlanJSON(v *app.SafetyPlanView) safetyPlanJSON {
	out := safetyPlanJSON{Version: v.Version, LatestVersion: v.Latest, VersionsKept: v.Kept, Versions: []planVersionJSON{}, Plan: plainPlan(v.Plan)}
	if !v.SavedAt.IsZero() {
		at := rfc3339(v.SavedAt)
		out.SavedAt = &at
	}
	for _, pv := range v.Versions {
		out.Versions = append(out.Versions, planVersionJSON{Version: pv.Version, SavedAt: rfc3339(pv.SavedAt)})
	}
	return out
}

func (s *Server) apiSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	version, err := planVersionParam(r)
	if err != nil {
		return err
	}
	v, err := s.app.SafetyPlan(r.Context(), visitorOf(r).Actor, version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSafetyPlanJSON(v))
	return nil
}

func (s *Server) apiSaveSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	var in hearth.SafetyPlan
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx, actor := r.Context(), visitorOf(r).Actor
	saved, err := s.app.SaveSafetyPlan(ctx, actor, app.SafetyPlanInput{Plan: in, Country: planCountry(r), Lang: visitorOf(r).Lang})
	if err != nil {
		return err
	}
	v, err := s.app.SafetyPlan(ctx, actor, saved.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, savedPlanJSON{safetyPlanJSON: newSafetyPlanJSON(v), Pruned: saved.Pruned, Safety: newSupportJSON(saved.Support)})
	return nil
}

func (s *Server) apiDeleteSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.app.DeleteSafetyPlan(r.Context(), visitorOf(r).Actor); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
