package terms_test

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hearth-org/hearth/internal/terms"
)

func ExampleQuery() {
	for _, w := range terms.Query("Grupos de apoyo: cáncer, DUELOS y cuidadores") {
		fmt.Println(w.Raw, w.Stems)
	}
	fmt.Println(len(terms.Query("support groups near me")))
	// Output:
	// cáncer [canc cancer]
	// DUELOS [duel duelo]
	// cuidadores [cuidador]
	// 0
}

func ExampleIndex() {
	idx := terms.Index(
		terms.Field{Text: "Widows' Grief Circle", Weight: 8},
		terms.Field{Text: "grief, bereavement", Weight: 5},
		terms.Field{Text: "A support group for widows and widowers.", Weight: 1},
	)
	for _, stem := range slices.Sorted(maps.Keys(idx)) {
		fmt.Println(stem, idx[stem])
	}
	// Output:
	// bereav 5
	// bereavement 5
	// circl 8
	// grief 13
	// widow 10
	// widowers 1
	// widows 9
}
