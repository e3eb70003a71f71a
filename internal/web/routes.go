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
	// Safety (pages_safety.go): the alert queue for facilitators, admins and
	// on-call people; an organization's on-call settings and audit log.
	s.page("GET /safety/escalations", SignedIn, s.escalationsPage)
	s.page("GET /safety/escalations/{id}", SignedIn, s.escalationPage)
	s.page("POST /safety/escalations/{id}", SignedIn, s.actOnEscalationPage)
	s.page("GET /manage/{org}/safety", SignedIn, s.orgSafetyPage)
	s.page("POST /manage/{org}/safety", SignedIn, s.saveOrgSafetyPage)
	s.page("GET /manage/{org}/audit", SignedIn, s.auditPage)
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

	// Moderation (pages_moderation.go): reporting and blocking, review
	// queues, one report, a person's own decisions and appeals.
	s.page("GET /groups/{slug}/report", SignedIn, s.reportFormPage)
	s.page("POST /groups/{slug}/report", SignedIn, s.fileReportPage)
	s.page("POST /groups/{slug}/blocks/{id}", SignedIn, s.blockPage)
	s.page("POST /groups/{slug}/blocks/{id}/delete", SignedIn, s.unblockPage)
	s.page("GET /groups/{slug}/reports", SignedIn, s.groupReportsPage)
	s.page("POST /groups/{slug}/moderation/settings", SignedIn, s.moderationSettingsPage)
	s.page("GET /manage/{org}/reports", SignedIn, s.orgReportsPage)
	s.page("GET /reports/{id}", SignedIn, s.reportPage)
	s.page("POST /reports/{id}/act", SignedIn, s.actOnReportPage)
	s.page("POST /reports/{id}/dismiss", SignedIn, s.dismissReportPage)
	s.page("POST /appeals/{id}/decide", SignedIn, s.decideAppealPage)
	s.page("GET /moderation", SignedIn, s.myModerationPage)
	s.page("POST /moderation/{id}/appeal", SignedIn, s.appealPage)

	// Meetings (pages_meetings.go, calendar.go).
	s.page("GET /groups/{slug}/meetings", SignedIn, s.meetingsPage)
	s.page("POST /groups/{slug}/meetings", SignedIn, s.createMeetingPage)
	s.page("POST /groups/{slug}/meetings/{meeting}", SignedIn, s.updateMeetingPage)
	s.page("POST /groups/{slug}/meetings/{meeting}/delete", SignedIn, s.deleteMeetingPage)
	s.page("POST /groups/{slug}/meeting-policy", SignedIn, s.meetingPolicyPage)
	s.page("POST /groups/{slug}/meeting-links/{meeting}/{person}", SignedIn, s.linkAccessPage)
	s.page("GET /groups/{slug}/meetings/{meeting}/next", Public, s.nextOccurrencePage)
	s.page("GET /groups/{slug}/meetings/{meeting}/{at}", Public, s.occurrencePage)
	s.page("POST /groups/{slug}/meetings/{meeting}/{at}/rsvp", SignedIn, s.rsvpPage)
	s.page("POST /groups/{slug}/meetings/{meeting}/{at}/rsvp/cancel", SignedIn, s.cancelRSVPPage)
	s.page("POST /groups/{slug}/meetings/{meeting}/{at}/change", SignedIn, s.changeOccurrencePage)
	s.page("POST /groups/{slug}/meetings/{meeting}/{at}/attendance", SignedIn, s.attendanceTakePage)
	s.page("GET /groups/{slug}/attendance", SignedIn, s.attendancePage)
	// Live rooms (pages_rooms.go, ws.go): the page and its WebSocket.
	s.page("GET /groups/{slug}/meetings/{meeting}/{at}/room", SignedIn, s.roomPageHandler)
	s.handle("GET /groups/{slug}/meetings/{meeting}/{at}/room/ws", SignedIn, s.roomSocket)
	s.page("GET /rooms/{room}", SignedIn, s.roomLinkPage)
	s.page("POST /groups/{slug}/room-settings", SignedIn, s.roomSettingsPage)
	s.page("GET /groups/{slug}/calendar.ics", Public, s.groupCalendar)
	s.page("GET /calendar/{file}", Public, s.personalCalendar)
	s.page("GET /go/{token}", Public, s.goLink)
	s.page("GET /account/calendar", SignedIn, s.calendarPage)
	s.page("POST /account/calendar", SignedIn, s.newCalendarPage)
	// The safety plan (pages_safetyplan.go): the owner's only.
	s.page("GET /account/safety-plan", SignedIn, s.safetyPlanPage)
	s.page("POST /account/safety-plan", SignedIn, s.saveSafetyPlan)
	s.page("POST /account/safety-plan/delete", SignedIn, s.deleteSafetyPlan)
	s.page("GET /account/safety-plan/print", SignedIn, s.safetyPlanPrintPage)
	s.page("GET /account/safety-plan.json", SignedIn, s.safetyPlanExport)

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
	// Safety (api_safety.go).
	s.api("GET /api/v1/helplines", Public, s.apiHelplines)
	s.api("GET /api/v1/safety/escalations", SignedIn, s.apiEscalations)
	s.api("GET /api/v1/safety/escalations/{id}", SignedIn, s.apiEscalation)
	s.api("POST /api/v1/safety/escalations/{id}", SignedIn, s.apiActOnEscalation)
	s.api("GET /api/v1/organizations/{org}/safety", SignedIn, s.apiOrgSafety)
	s.api("PUT /api/v1/organizations/{org}/safety", SignedIn, s.apiSetOrgSafety)
	s.api("GET /api/v1/organizations/{org}/audit", SignedIn, s.apiAuditLog)
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
	s.api("GET /api/v1/groups/{slug}/meetings", Public, s.apiMeetings)
	s.api("POST /api/v1/groups/{slug}/meetings", SignedIn, s.apiCreateMeeting)
	s.api("PUT /api/v1/groups/{slug}/meetings/{meeting}", SignedIn, s.apiUpdateMeeting)
	s.api("DELETE /api/v1/groups/{slug}/meetings/{meeting}", SignedIn, s.apiDeleteMeeting)
	s.api("GET /api/v1/groups/{slug}/occurrences", Public, s.apiOccurrences)
	s.api("GET /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}", Public, s.apiOccurrence)
	s.api("POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions", SignedIn, s.apiChangeOccurrence)
	s.api("DELETE /api/v1/groups/{slug}/meetings/{meeting}/exceptions/{at}", SignedIn, s.apiRestoreOccurrence)
	s.api("POST /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp", SignedIn, s.apiRSVP)
	s.api("DELETE /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp", SignedIn, s.apiCancelRSVP)
	s.api("GET /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance", SignedIn, s.apiAttendanceOf)
	s.api("PUT /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance", SignedIn, s.apiTakeAttendance)
	s.api("GET /api/v1/groups/{slug}/attendance", SignedIn, s.apiAttendanceReport)
	s.api("GET /api/v1/groups/{slug}/meeting-policy", SignedIn, s.apiMeetingPolicy)
	s.api("PUT /api/v1/groups/{slug}/meeting-policy", SignedIn, s.apiSetMeetingPolicy)
	// Rooms (api_rooms.go): settings, and one message reported or hidden.
	s.api("GET /api/v1/groups/{slug}/room-settings", SignedIn, s.apiRoomSettings)
	s.api("PUT /api/v1/groups/{slug}/room-settings", SignedIn, s.apiSetRoomSettings)
	s.api("POST /api/v1/rooms/{room}/events/{seq}/report", SignedIn, s.apiReportRoomMessage)
	s.api("POST /api/v1/rooms/{room}/events/{seq}/hide", SignedIn, s.apiHideRoomMessage)
	s.api("DELETE /api/v1/groups/{slug}/meetings/{meeting}/links/{person}", SignedIn, s.apiRevokeLink)
	s.api("POST /api/v1/groups/{slug}/meetings/{meeting}/links/{person}", SignedIn, s.apiRestoreLink)
	s.api("GET /api/v1/account/calendar", SignedIn, s.apiCalendarAddress)
	s.api("POST /api/v1/account/calendar", SignedIn, s.apiNewCalendarAddress)
	s.api("DELETE /api/v1/account/calendar", SignedIn, s.apiDeleteCalendarAddress)
	s.api("GET /api/v1/account/safety-plan", SignedIn, s.apiSafetyPlan)
	s.api("PUT /api/v1/account/safety-plan", SignedIn, s.apiSaveSafetyPlan)
	s.api("DELETE /api/v1/account/safety-plan", SignedIn, s.apiDeleteSafetyPlan)
	// Moderation (api_moderation.go).
	s.api("POST /api/v1/groups/{slug}/reports", SignedIn, s.apiReport)
	s.api("GET /api/v1/groups/{slug}/reports", SignedIn, s.apiGroupReports)
	s.api("GET /api/v1/organizations/{org}/reports", SignedIn, s.apiOrgReports)
	s.api("GET /api/v1/reports/{id}", SignedIn, s.apiReportDetail)
	s.api("POST /api/v1/reports/{id}/dismiss", SignedIn, s.apiDismissReport)
	s.api("POST /api/v1/groups/{slug}/moderation/actions", SignedIn, s.apiModerate)
	s.api("GET /api/v1/groups/{slug}/moderation/settings", SignedIn, s.apiModerationSettings)
	s.api("PUT /api/v1/groups/{slug}/moderation/settings", SignedIn, s.apiSetModerationSettings)
	s.api("POST /api/v1/groups/{slug}/moderation/trusted/{id}", SignedIn, s.apiTrustPoster)
	s.api("GET /api/v1/groups/{slug}/peers", SignedIn, s.apiPeers)
	s.api("PUT /api/v1/groups/{slug}/blocks/{id}", SignedIn, s.apiBlock)
	s.api("DELETE /api/v1/groups/{slug}/blocks/{id}", SignedIn, s.apiUnblock)
	s.api("GET /api/v1/account/moderation", SignedIn, s.apiMyModeration)
	s.api("POST /api/v1/account/moderation/{id}/appeal", SignedIn, s.apiAppeal)
	s.api("POST /api/v1/appeals/{id}/decision", SignedIn, s.apiDecideAppeal)
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
