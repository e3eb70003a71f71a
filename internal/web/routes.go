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
	// Membership (pages_membership.go): applying, one's own standing, and
	// the facilitators' members page.
	s.page("GET /groups/{slug}/apply", SignedIn, s.applyPage)
	s.page("POST /groups/{slug}/apply", SignedIn, s.apply)
	s.page("GET /groups/{slug}/membership", SignedIn, s.membershipPage)
	s.page("GET /groups/{slug}/membership/leave", SignedIn, s.leavePage)
	s.page("POST /groups/{slug}/membership/leave", SignedIn, s.leaveGroup)
	s.page("POST /groups/{slug}/membership/offer/accept", SignedIn, s.acceptOffer)
	s.page("POST /groups/{slug}/membership/offer/decline", SignedIn, s.declineOffer)
	s.page("POST /groups/{slug}/membership/guidelines", SignedIn, s.acceptGuidelines)
	s.page("POST /groups/{slug}/membership/contact", SignedIn, s.setContactSharing)
	s.page("GET /groups/{slug}/members", SignedIn, s.membersPage)
	s.page("POST /groups/{slug}/members/{id}/approve", SignedIn, s.approvePage)
	s.page("POST /groups/{slug}/members/{id}/decline", SignedIn, s.declinePage)
	s.page("POST /groups/{slug}/members/{id}/remove", SignedIn, s.removePage)
	s.page("POST /groups/{slug}/intake", SignedIn, s.intakePage)
	s.page("POST /groups/{slug}/cohorts", SignedIn, s.createCohortPage)
	s.page("POST /groups/{slug}/cohorts/{id}/end", SignedIn, s.endCohortPage)
	s.page("POST /groups/{slug}/seats", SignedIn, s.seatsPage)

	// API.
	s.api("GET /api/v1/openapi.json", Public, s.apiOpenAPI)
	s.api("GET /api/v1/topics", Public, s.apiTopics)
	s.api("GET /api/v1/places", Public, s.apiPlaces)
	s.api("GET /api/v1/groups", Public, s.apiSearch)
	s.api("GET /api/v1/groups/{slug}", Public, s.apiGroup)
	s.api("POST /api/v1/groups/{slug}/join", SignedIn, s.apiJoin)
	// Membership (api_membership.go).
	s.api("POST /api/v1/groups/{slug}/apply", SignedIn, s.apiApply)
	s.api("GET /api/v1/groups/{slug}/membership", SignedIn, s.apiMyMembership)
	s.api("POST /api/v1/groups/{slug}/membership/leave", SignedIn, s.apiLeave)
	s.api("POST /api/v1/groups/{slug}/membership/offer/accept", SignedIn, s.apiAcceptOffer)
	s.api("POST /api/v1/groups/{slug}/membership/offer/decline", SignedIn, s.apiDeclineOffer)
	s.api("POST /api/v1/groups/{slug}/membership/guidelines", SignedIn, s.apiAcceptGuidelines)
	s.api("PUT /api/v1/groups/{slug}/membership/contact", SignedIn, s.apiContact)
	s.api("GET /api/v1/groups/{slug}/intake", Public, s.apiIntake)
	s.api("PUT /api/v1/groups/{slug}/intake", SignedIn, s.apiSetIntake)
	s.api("GET /api/v1/groups/{slug}/members", SignedIn, s.apiMembers)
	s.api("POST /api/v1/groups/{slug}/members/{id}/approve", SignedIn, s.apiApprove)
	s.api("POST /api/v1/groups/{slug}/members/{id}/decline", SignedIn, s.apiDecline)
	s.api("POST /api/v1/groups/{slug}/members/{id}/remove", SignedIn, s.apiRemove)
	s.api("POST /api/v1/groups/{slug}/members/{id}/ban", SignedIn, s.apiBan)
	s.api("GET /api/v1/groups/{slug}/cohorts", SignedIn, s.apiCohorts)
	s.api("POST /api/v1/groups/{slug}/cohorts", SignedIn, s.apiCreateCohort)
	s.api("POST /api/v1/groups/{slug}/cohorts/{id}/end", SignedIn, s.apiEndCohort)
	s.api("PUT /api/v1/groups/{slug}/seats", SignedIn, s.apiSetSeats)
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
