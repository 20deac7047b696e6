Feature: Analyst statements - DESCRIBE, NEIGHBORS, PATH, TIMELINE and EVIDENCE on the bundled data

  # Rows are checked with `the result should include`: each expected row is
  # among the answer's rows, nodes match on the properties given. The
  # bundled data grows, so the scenarios name facts, not whole answers.

  Scenario: [1] DESCRIBE shows the card and the relations of an entity
    Given the eje bundled graph
    When executing query:
      """
      DESCRIBE putin
      """
    Then the header should be:
      | id   | putin          |
      | kind | Person         |
      | name | Vladimir Putin |
    And the result should include, in any order:
      | type      | direction | other                              |
      | 'head_of' | '->'      | ({id: 'russia'})                   |
      | 'met_with' | '--'     | ({id: 'choe_son_hui'})             |

  Scenario: [2] DESCRIBE takes a quoted name or alias
    Given the eje bundled graph
    When executing query:
      """
      DESCRIBE "Kim Jong-un"
      """
    Then the header should be:
      | id   | kim_jong_un |
      | name | Kim Jong Un |

  Scenario: [3] NEIGHBORS VIA a relation type
    Given the eje bundled graph
    When executing query:
      """
      NEIGHBORS putin VIA head_of
      """
    Then the result should include, in any order:
      | depth | node             | kind      | via       | from            |
      | 1     | ({id: 'russia'}) | 'Country' | 'head_of' | ({id: 'putin'}) |

  Scenario: [4] NEIGHBORS at depth 2 reaches the neighbours' neighbours
    Given the eje bundled graph
    When executing query:
      """
      NEIGHBORS "Choe Son-hui" DEPTH 2
      """
    Then the result should include, in any order:
      | depth | node                  |
      | 1     | ({id: 'putin'})       |
      | 2     | ({id: 'russia'})      |

  Scenario: [5] PATH lists each hop of the shortest connections
    Given the eje bundled graph
    When executing query:
      """
      PATH putin TO "Choe Son-hui"
      """
    Then the result should include, in any order:
      | hop | from            | type       | to                     | date         |
      | 1   | ({id: 'putin'}) | 'met_with' | ({id: 'choe_son_hui'}) | '2025-10-27' |

  Scenario: [6] TIMELINE of an entity within a period
    Given the eje bundled graph
    When executing query:
      """
      TIMELINE "Kim Jong Un" FROM 2023-09 TO 2023-09
      """
    Then the result should include, in any order:
      | date      | subject               | relation   | object          |
      | '2023-09' | ({id: 'kim_jong_un'}) | 'met_with' | ({id: 'putin'}) |

  Scenario: [7] EVIDENCE between two entities, one row per citation
    Given the eje bundled graph
    When executing query:
      """
      EVIDENCE putin TO kim_jong_un
      """
    Then the result should include, in any order:
      | subject         | relation   | object                | date      | source    |
      | ({id: 'putin'}) | 'met_with' | ({id: 'kim_jong_un'}) | '2025-08' | 'art_000' |

  Scenario: [8] An unknown entity is an error that names the nearest
    Given the eje bundled graph
    When executing query:
      """
      DESCRIBE "Vladimir Putn"
      """
    Then a SemanticError should be raised at any time: UnknownEntity
