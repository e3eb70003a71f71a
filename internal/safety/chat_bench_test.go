package safety

import "testing"

// BenchmarkAssessChat times one ordinary chat-sized message, the kind a
// live room carries most: every message passes the detector before it is
// stored, so its cost is part of every room message's.
func BenchmarkAssessChat(b *testing.B) {
	texts := []string{
		"lr1 5 m 1234 17 1764541234567890123 thanks everyone for listening tonight, this week was easier than the last one",
		"I went to the meeting on Tuesday and it helped a lot, my sponsor called me after",
		"Hola a todos, esta semana fue dura pero sigo aquí, gracias por escucharme",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Assess(texts[i%len(texts)])
	}
}
