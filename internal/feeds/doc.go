// Package feeds reads and writes the public meeting feeds Hearth shares
// with the sites people already use: the Meeting Guide JSON feed
// (code4recovery's spec, read by the Meeting Guide app, the 12 Step Meeting
// List plugin and TSML UI) in both directions, and Hearth's own JSON feed,
// which carries what Meeting Guide cannot (topics, any recurrence,
// membership policy, cohorts, leadership).
//
// It is pure: the domain (package hearth) and internal/schedule only. The
// app loads what is listed and stores what is imported; this package
// decides what each row means.
//
// What the Meeting Guide format cannot say, and what Hearth does then:
//
//   - Only weekly meetings: monthly and every-other-week meetings, one-offs
//     and meetings whose last occurrence is past are left out of the export.
//   - No "online" type: online is read from conference_url and
//     conference_phone. Hearth writes them only for groups that publish
//     their link; a protected group's entry carries its page as url.
//   - Type codes are mapped only where a Hearth field means the same thing
//     (see TypesFor); the spec's "C" (closed: no visitors) is not Hearth's
//     closed policy (a cohort with enrollment), see ClosedMeetingNote.
//   - A feed has no topics: the importer is told them (ImportOptions).
package feeds
