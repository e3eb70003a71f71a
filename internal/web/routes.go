package web

import (
	"net/http"
	"strings"
)

// Route is one entry of the route table.
type Route struct {
	Method, Path string
	API          bool // part of /api/v1 and of the OpenAPI document
	Auth         string
}

// Who may call a route.
const (
	Public   = "public"    // anyone
	SignedIn = "signed_in" // an account (session or token)
)

// registerRoutes lists every route Hearth serves. Handlers check finer
// permissions (organization admin, facilitator) through app.
func (s *Server) registerRoutes() {
	// Operations.
	s.handle("GET /healthz", Public, s.healthz)
	s.handle("GET /readyz", Public, s.readyz)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	s.routes = append(s.routes, Route{Method: "GET", Path: "/metrics", Auth: Public})
	s.mux.Handle("GET /static/", s.staticFiles())
	s.routes = append(s.routes, Route{Method: "GET", Path: "/static/", Auth: Public})
	s.handle("GET /favicon.ico", Public, s.favicon)

	// Pages.
	s.page("GET /{$}", Public, s.homePage)
	s.page("GET /help", Public, s.helpPage)
	s.page("GET /groups", Public, s.resultsPage)
	s.page("GET /groups/{slug}", Public, s.groupPage)
	s.page("POST /groups/{slug}/join", SignedIn, s.joinGroup)
	s.page("POST /locale", Public, s.setLocale)
	s.page("POST /timezone", Public, s.setTimeZone)
	s.page("GET /signup", Public, s.signupPage)
	s.page("POST /signup", Public, s.signup)
	s.page("GET /signin", Public, s.signinPage)
	s.page("POST /signin", Public, s.signin)
	s.page("POST /signout", Public, s.signout)
	s.page("GET /recover", Public, s.recoverPage)
	s.page("POST /recover", Public, s.recover)
	s.page("GET /account", SignedIn, s.accountPage)
	s.page("POST /account/preferences", SignedIn, s.savePreferences)
	s.page("POST /account/tokens", SignedIn, s.createTokenPage)
	s.page("POST /account/tokens/{id}/revoke", SignedIn, s.revokeTokenPage)
	s.page("POST /account/reminders", SignedIn, s.saveReminders)
	s.page("GET /notices", SignedIn, s.noticesPage)
	s.page("POST /notices/read", SignedIn, s.markNoticesRead)
	s.page("GET /manage", SignedIn, s.managePage)
	s.page("POST /manage/organizations", SignedIn, s.createOrganizationPage)
	s.page("GET /manage/{org}", SignedIn, s.manageOrgPage)
	s.page("POST /manage/{org}/admins", SignedIn, s.addOrgAdminPage)
	s.page("GET /manage/{org}/groups/new", SignedIn, s.newGroupPage)
	s.page("POST /manage/{org}/groups", SignedIn, s.createGroupPage)
	s.page("GET /groups/{slug}/edit", SignedIn, s.editGroupPage)
	s.page("POST /groups/{slug}/edit", SignedIn, s.updateGroupPage)
	s.page("POST /groups/{slug}/facilitators", SignedIn, s.appointFacilitatorPage)

	// API.
	s.api("GET /api/v1/openapi.json", Public, s.apiOpenAPI)
	s.api("GET /api/v1/topics", Public, s.apiTopics)
	s.api("GET /api/v1/places", Public, s.apiPlaces)
	s.api("GET /api/v1/groups", Public, s.apiSearch)
	s.api("GET /api/v1/groups/{slug}", Public, s.apiGroup)
	s.api("POST /api/v1/groups/{slug}/join", SignedIn, s.apiJoin)
	s.api("PUT /api/v1/groups/{slug}", SignedIn, s.apiUpdateGroup)
	s.api("GET /api/v1/groups/{slug}/facilitators", SignedIn, s.apiFacilitators)
	s.api("POST /api/v1/groups/{slug}/facilitators", SignedIn, s.apiAppointFacilitator)
	s.api("GET /api/v1/organizations", SignedIn, s.apiOrganizations)
	s.api("POST /api/v1/organizations", SignedIn, s.apiCreateOrganization)
	s.api("GET /api/v1/organizations/{org}", Public, s.apiOrganization)
	s.api("PUT /api/v1/organizations/{org}", SignedIn, s.apiUpdateOrganization)
	s.api("GET /api/v1/organizations/{org}/groups", SignedIn, s.apiOrganizationGroups)
	s.api("POST /api/v1/organizations/{org}/groups", SignedIn, s.apiCreateGroup)
	s.api("POST /api/v1/organizations/{org}/admins", SignedIn, s.apiAddOrgAdmin)
	s.api("POST /api/v1/account", Public, s.apiSignUp)
	s.api("GET /api/v1/account", SignedIn, s.apiAccount)
	s.api("PUT /api/v1/account/preferences", SignedIn, s.apiPreferences)
	s.api("GET /api/v1/account/groups", SignedIn, s.apiMyGroups)
	s.api("GET /api/v1/account/notices", SignedIn, s.apiNotices)
	s.api("POST /api/v1/account/notices/read", SignedIn, s.apiMarkNoticesRead)
	s.api("GET /api/v1/account/reminders", SignedIn, s.apiReminders)
	s.api("PUT /api/v1/account/reminders", SignedIn, s.apiSetReminders)
	s.api("GET /api/v1/account/tokens", SignedIn, s.apiTokens)
	s.api("POST /api/v1/account/tokens", SignedIn, s.apiCreateToken)
	s.api("DELETE /api/v1/account/tokens/{id}", SignedIn, s.apiRevokeToken)
	s.api("POST /api/v1/tokens", Public, s.apiSignInToken)
	s.api("POST /api/v1/account/recover", Public, s.apiRecover)
	s.registerFeeds() // GET and OPTIONS /feeds/meeting-guide.json, /feeds/hearth.json (feeds.go)
	s.mux.Handle("/api/", s.apiHandler("/api/", Public, func(w http.ResponseWriter, r *http.Request) error {
		return errNoRoute
	}))
}

// Routes returns the route table (for the tests that walk it).
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

func splitPattern(p string) (string, string) {
	m, path, _ := strings.Cut(p, " ")
	return m, path
}
