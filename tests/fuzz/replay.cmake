# Included from tests/CMakeLists.txt: each fuzz target of tests/fuzz/ is also
# linked with replay.c (no libFuzzer) and run by ctest on its seed corpus and
# on its regression inputs (past findings), in the plain and the ASan build.
file(GLOB GK_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.c)
foreach(src ${GK_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REPLACE "fuzz_" "" target ${name})
  add_executable(replay_${target} ${src} ${CMAKE_CURRENT_LIST_DIR}/replay.c)
  target_include_directories(replay_${target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(replay_${target} PRIVATE gapkit_static)
  add_test(NAME fuzz_replay_${target}
           COMMAND replay_${target} ${CMAKE_CURRENT_LIST_DIR}/corpus/${name}
                   ${CMAKE_CURRENT_LIST_DIR}/regressions/${name})
  set_tests_properties(fuzz_replay_${target} PROPERTIES ENVIRONMENT "OMP_NUM_THREADS=1")
endforeach()
