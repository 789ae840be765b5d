# Run one bad-input case: jzsim must exit 2, print exactly the expected line on stderr and
# leave no output behind. Variables: JZSIM, CASE, DIR (tests/data/bad), SRC (repo root).
# <case>.args holds the arguments (paths relative to the repo root); @OUT@ becomes a fresh
# output directory, which must hold no jobs.csv or summary.json afterwards.
file(READ ${DIR}/${CASE}.args args)
file(READ ${DIR}/${CASE}.err expected)
string(STRIP "${args}" args)
string(STRIP "${expected}" expected)
set(out ${CMAKE_CURRENT_BINARY_DIR}/bad-out/${CASE})
file(REMOVE_RECURSE ${out})
string(REPLACE "@OUT@" "${out}" args "${args}")
separate_arguments(argv UNIX_COMMAND "${args}")
execute_process(COMMAND ${JZSIM} ${argv} WORKING_DIRECTORY ${SRC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
string(STRIP "${stderr}" stderr)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "${CASE}: exit status ${rc}, expected 2\nstderr: ${stderr}")
endif()
if(NOT stderr STREQUAL expected)
  message(FATAL_ERROR "${CASE}: stderr differs\n  got:      ${stderr}\n  expected: ${expected}")
endif()
foreach(f jobs.csv summary.json queues.csv utilisation.csv)
  if(EXISTS ${out}/${f})
    message(FATAL_ERROR "${CASE}: ${out}/${f} was written despite the error")
  endif()
endforeach()
