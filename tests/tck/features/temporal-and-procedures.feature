Feature: Temporal values and procedures - durations over partial dates, temporal properties, declared and built-in procedures

  Scenario: [1] A partial date moves by whole months, and durations between months are whole months
    Given any graph
    When executing query:
      """
      WITH date('2024-06') AS treaty, date('2024-08') AS deployed
      RETURN treaty + duration('P1M') AS next, duration.between(treaty, deployed) AS gap,
             duration.inDays(treaty, deployed) AS days
      """
    Then the result should be, in any order:
      | next      | gap   | days |
      | '2024-07' | 'P2M' | null |
    And no side effects

  Scenario: [2] Temporal properties of a graph script keep their type
    Given an empty graph
    And having executed:
      """
      CREATE (:Meeting {at: datetime('2024-06-19T10:00+02:00[Europe/Paris]'), lasted: duration('PT2H30M')})
      """
    When executing query:
      """
      MATCH (m:Meeting)
      RETURN m.at + m.lasted AS ended, m.at.timezone AS zone, m.lasted.minutes AS minutes
      """
    Then the result should be, in any order:
      | ended                                        | zone           | minutes |
      | '2024-06-19T12:30+02:00[Europe/Paris]'       | 'Europe/Paris' | 150     |
    And no side effects

  Scenario: [3] A declared procedure is called with arguments inside a query
    Given an empty graph
    And there exists a procedure test.double(in :: INTEGER?) :: (out :: INTEGER?):
      | in | out |
      | 1  | 2   |
      | 2  | 4   |
    When executing query:
      """
      UNWIND [1, 2, 3] AS x
      CALL test.double(x) YIELD out
      RETURN x, out
      """
    Then the result should be, in order:
      | x | out |
      | 1 | 2   |
      | 2 | 4   |
    And no side effects

  Scenario: [4] The built-in procedures describe a scripted graph
    Given an empty graph
    And having executed:
      """
      CREATE (:A {name: 'a'})-[:KNOWS {since: date('2020')}]->(:B)
      """
    When executing query:
      """
      CALL db.propertyKeys()
      """
    Then the result should be, in order:
      | propertyKey |
      | 'name'      |
      | 'since'     |
    And no side effects

  Scenario: [5] An unknown procedure is an error at compile time
    Given any graph
    When executing query:
      """
      CALL db.lables()
      """
    Then a ProcedureError should be raised at compile time: ProcedureNotFound
