# Run one golden case: jzsim <args> with @OUT@ replaced by a fresh directory, then compare
# every file of <case>/expected/ byte for byte (and stdout with expected/stdout.txt if present).
# Variables: JZSIM, CASE_DIR, SRC (repo root, the working directory), OUT_DIR.
file(READ ${CASE_DIR}/args args)
string(STRIP "${args}" args)
file(REMOVE_RECURSE ${OUT_DIR})
string(REPLACE "@OUT@" "${OUT_DIR}" args "${args}")
separate_arguments(argv UNIX_COMMAND "${args}")
execute_process(COMMAND ${JZSIM} ${argv} --quiet WORKING_DIRECTORY ${SRC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jzsim exited ${rc}\n${stderr}")
endif()
file(WRITE ${OUT_DIR}/stdout.txt "${stdout}")
file(GLOB expected RELATIVE ${CASE_DIR}/expected ${CASE_DIR}/expected/*)
if(NOT expected)
  message(FATAL_ERROR "no expected files in ${CASE_DIR}/expected")
endif()
foreach(f ${expected})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${CASE_DIR}/expected/${f} ${OUT_DIR}/${f}
                  RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    execute_process(COMMAND diff -u ${CASE_DIR}/expected/${f} ${OUT_DIR}/${f} OUTPUT_VARIABLE d)
    message(FATAL_ERROR "${f} differs from the golden file:\n${d}")
  endif()
endforeach()
