package api

import (
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestOpenAPICourseSchemasMatchJSON is TestOpenAPISchemasMatchJSON for the
// courses' schemas: each has exactly the JSON names of its Go type.
func TestOpenAPICourseSchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	types := map[string]any{
		"CourseOwner": courseOwnerJSON{}, "CompetenceTagInput": tagInJSON{}, "CompetenceTagRef": tagRefJSON{},
		"LessonMaterial": lessonMaterialJSON{}, "LessonItem": lessonItemJSON{}, "Lesson": lessonJSON{}, "Module": moduleJSON{},
		"CoursePermissions": coursePermissionsJSON{}, "CourseDetail": courseDetailJSON{}, "CourseSummary": courseSummaryJSON{},
		"CoursePage": coursePageJSON{}, "CourseCreate": courseCreateJSON{}, "CoursePatch": coursePatchJSON{}, "CourseCopy": courseCopyJSON{},
		"CourseStructure": courseStructureJSON{}, "ModuleCreate": moduleTitleJSON{}, "ModulePatch": moduleTitleJSON{},
		"LessonCreate": lessonCreateJSON{}, "LessonPatch": lessonPatchJSON{}, "CourseVersion": courseVersionJSON{},
		"CourseVersionList": courseVersionListJSON{},
	}
	for name, v := range types {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var inDoc []string
		for p := range s.Properties {
			inDoc = append(inDoc, p)
		}
		inGo := jsonNames(reflect.TypeOf(v))
		sort.Strings(inDoc)
		sort.Strings(inGo)
		if !slices.Equal(inDoc, inGo) {
			t.Errorf("schema %s has properties %v; the Go type %T has JSON fields %v", name, inDoc, v, inGo)
		}
	}
}
