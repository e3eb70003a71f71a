package terms

import (
	"strings"
	"testing"
)

// benchDescription is a realistic ~2 KB bilingual group description.
var benchDescription = func() string {
	const en = `Our grief support group meets every Tuesday evening for adults who
have lost a spouse, partner, child, parent or friend. Whether your loss was
recent or many years ago, you are welcome here. Trained volunteer
facilitators, many of them bereaved parents and widows themselves, lead
gentle conversations about coping with anniversaries, holidays, anger,
guilt and the loneliness that follows a death. We also share practical
resources: finding a counselor, caring for yourself, helping grieving
children and teenagers, and connecting with other local bereavement
services, hospice programs and cancer survivor networks. `
	const es = `Nuestro grupo de apoyo para el duelo se reúne los martes por la
noche. Acompañamos a personas que han perdido a su pareja, a un hijo, a sus
padres o a un amigo, por enfermedad, accidente o suicidio. Las reuniones son
gratuitas y confidenciales, en español y en inglés. Ofrecemos orientación
sobre la depresión, la ansiedad y el cuidado de los niños en duelo, y
colaboramos con asociaciones de sobrevivientes de cáncer y con Alcohólicos
Anónimos. `
	s := en + es
	for len(s) < 2048 {
		s += en
	}
	return s[:2048]
}()

func BenchmarkIndex(b *testing.B) {
	fields := []Field{
		{Text: "Hearth Grief & Loss Circle / Círculo de duelo", Weight: 8},
		{Text: "grief, bereavement, widows, duelo", Weight: 5},
		{Text: "St. Mary's Hospice", Weight: 3},
		{Text: benchDescription, Weight: 1},
	}
	n := 0
	for _, f := range fields {
		n += len(f.Text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		Index(fields...)
	}
}

func BenchmarkIndexDescriptionOnly(b *testing.B) {
	f := Field{Text: benchDescription, Weight: 1}
	b.SetBytes(int64(len(f.Text)))
	b.ReportAllocs()
	for b.Loop() {
		Index(f)
	}
}

func BenchmarkQuery(b *testing.B) {
	for _, bq := range []struct{ name, q string }{
		{"one_word", "grief"},
		{"english", "breast cancer survivors"},
		{"spanish", "grupos de apoyo para cuidadores de personas con Alzheimer"},
		{"long_repetitive", strings.Repeat("depresión ansiedad ", 20)},
	} {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Query(bq.q)
			}
		})
	}
}
