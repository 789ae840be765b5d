# Run one `jzsim compare` golden case: cases/<case>/args (paths relative to the repo root),
# then the exit status must equal cases/<case>/rc and stdout cases/<case>/expected.txt byte for
# byte, with nothing on stderr. Variables: JZSIM, CASE_DIR, SRC.
file(READ ${CASE_DIR}/args args)
file(READ ${CASE_DIR}/rc want_rc)
string(STRIP "${args}" args)
string(STRIP "${want_rc}" want_rc)
separate_arguments(argv UNIX_COMMAND "${args}")
execute_process(COMMAND ${JZSIM} ${argv} WORKING_DIRECTORY ${SRC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT rc STREQUAL want_rc)
  message(FATAL_ERROR "exit status ${rc}, expected ${want_rc}\nstderr: ${stderr}\nstdout:\n${stdout}")
endif()
if(NOT stderr STREQUAL "")
  message(FATAL_ERROR "unexpected stderr: ${stderr}")
endif()
file(READ ${CASE_DIR}/expected.txt expected)
if(NOT stdout STREQUAL expected)
  get_filename_component(case ${CASE_DIR} NAME)
  set(got ${CMAKE_CURRENT_BINARY_DIR}/compare-${case}.txt)
  file(WRITE ${got} "${stdout}")
  execute_process(COMMAND diff -u ${CASE_DIR}/expected.txt ${got} OUTPUT_VARIABLE d)
  message(FATAL_ERROR "stdout differs from the golden output:\n${d}")
endif()
