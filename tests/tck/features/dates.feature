Feature: Dates of any precision - a partial date is the interval of days it covers

  Scenario Outline: [1] Comparing dates of different precision
    Given any graph
    When executing query:
      """
      RETURN <lhs> <op> <rhs> AS result
      """
    Then the result should be, in any order:
      | result   |
      | <result> |
    And no side effects

    Examples:
      | lhs                | op | rhs                | result |
      | date('2024-06')    | <  | date('2024-07-01') | true   |
      | date('2024-06')    | <  | date('2024-06-19') | null   |
      | date('2024-06')    | >  | date('2024-06-19') | null   |
      | date('2024-06')    | =  | date('2024-06-19') | false  |
      | date('2024-06')    | <> | date('2024-06-19') | true   |
      | date('2024-06')    | =  | date('2024-06')    | true   |
      | date('2024-06')    | <= | date('2024-06')    | true   |
      | date('2024-06')    | >  | date('2024-05-31') | true   |
      | date('2024-06-30') | <  | date('2024-07')    | true   |
      | date('2024')       | <  | date('2025-01-01') | true   |
      | date('2024')       | <  | date('2024-12')    | null   |
      | date('2023')       | <  | date('2024-06')    | true   |
      | date('2024-06-19') | =  | date('2024-06-19') | true   |
      | date('2024-06-19') | <  | date('2024-06-20') | true   |

  Scenario: [2] Dates keep their precision
    Given any graph
    When executing query:
      """
      UNWIND [date('2024'), date('2024-06'), date('2024-06-19')] AS d
      RETURN d
      """
    Then the result should be, in order:
      | d            |
      | '2024'       |
      | '2024-06'    |
      | '2024-06-19' |
    And no side effects

  Scenario: [3] Sorting dates of different precision by the day they start
    Given any graph
    When executing query:
      """
      UNWIND [date('2024-06-19'), date('2023'), date('2024-07'), date('2024-02-01')] AS d
      RETURN d
      ORDER BY d
      """
    Then the result should be, in order:
      | d            |
      | '2023'       |
      | '2024-02-01' |
      | '2024-06-19' |
      | '2024-07'    |
    And no side effects

  Scenario: [4] Filtering relations by a partial date
    Given the entities graph
    When executing query:
      """
      MATCH (a)-[r:met_with]->(b)
      WHERE date(r.date) < date('2024-07')
      RETURN a.id AS a, b.id AS b
      """
    Then the result should be, in any order:
      | a             | b             |
      | 'putin'       | 'kim_jong_un' |
      | 'kim_jong_un' | 'putin'       |
    And no side effects
