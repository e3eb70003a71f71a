package hearth

import "testing"

func TestStaffPowersNeedASecondFactor(t *testing.T) {
	g := &Group{ID: 7, OrgID: 3, Visibility: Private}
	staff := []Actor{
		{UserID: 1, SiteAdmin: true},
		{UserID: 2, OrgAdminOf: []int64{3}},
		{UserID: 3, FacilitateOf: []int64{7}, MemberOf: []int64{7}},
	}
	for _, a := range staff {
		w := a.RequireSecondFactor()
		if !w.StaffWithheld || w.CanEditGroup(g) || w.AdministersOrg(3) || w.CanCreateOrganization() || w.CanModerate(g) || w.Staff() {
			t.Errorf("%+v keeps staff powers without a second factor: %+v", a, w)
		}
		if a.FacilitateOf != nil && !w.CanSeeGroup(g) {
			t.Error("a facilitator without a second factor no longer sees their own group as a member")
		}
		a.SecondFactor = true
		if p := a.RequireSecondFactor(); p.StaffWithheld || !p.Staff() {
			t.Errorf("%+v lost staff powers after a second factor", a)
		}
	}
	m := Actor{UserID: 4, MemberOf: []int64{7}}
	if w := m.RequireSecondFactor(); w.StaffWithheld || !w.CanSeeGroup(g) {
		t.Error("a member is held back by the staff rule")
	}
}
