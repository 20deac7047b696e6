Feature: Entity references - a string in a node pattern names one entity by id, name or alias

  Scenario: [1] By name, ignoring case and hyphens
    Given the entities graph
    When executing query:
      """
      MATCH (k "kim jong-un")
      RETURN k.id AS id
      """
    Then the result should be, in any order:
      | id            |
      | 'kim_jong_un' |
    And no side effects

  Scenario Outline: [2] By id, name or any alias, ignoring case, accents and hyphens
    Given the entities graph
    When executing query:
      """
      MATCH (n <reference>)
      RETURN n.id AS id
      """
    Then the result should be, in any order:
      | id   |
      | <id> |
    And no side effects

    Examples:
      | reference         | id             |
      | 'putin'           | 'putin'        |
      | 'Vladimir Putin'  | 'putin'        |
      | 'VLADÍMIR PUTIN'  | 'putin'        |
      | 'Владимир Путин'  | 'putin'        |
      | 'Kim Jong Un'     | 'kim_jong_un'  |
      | '김정은'           | 'kim_jong_un'  |
      | 'Moscú'           | 'moscow'       |
      | 'moscow'          | 'moscow'       |
      | "choe son-hui"    | 'choe_son_hui' |

  Scenario: [3] With a variable, labels and relations
    Given the entities graph
    When executing query:
      """
      MATCH (k:Person "Kim Jong Un")-[r:met_with]-(x)
      RETURN x.name AS other, r.date AS date
      ORDER BY date
      """
    Then the result should be, in order:
      | other            | date         |
      | 'Vladimir Putin' | '2023-09-13' |
      | 'Vladimir Putin' | '2024-06-19' |
    And no side effects

  Scenario: [4] Without a variable
    Given the entities graph
    When executing query:
      """
      MATCH ("Putin")-[:met_with]->(x)
      RETURN x.name AS name
      ORDER BY name
      """
    Then the result should be, in order:
      | name           |
      | 'Choe Son Hui' |
      | 'Kim Jong Un'  |
    And no side effects

  Scenario: [5] A reference and a label that disagree match nothing
    Given the entities graph
    When executing query:
      """
      MATCH (c:City "Putin")
      RETURN c
      """
    Then the result should be empty
    And no side effects

  Scenario: [6] An unknown name is an error
    Given the entities graph
    When executing query:
      """
      MATCH (n "Kim Il Sung")
      RETURN n
      """
    Then a SemanticError should be raised at compile time: UnknownEntity

  Scenario: [7] A name shared by two entities is an error
    Given the entities graph
    When executing query:
      """
      MATCH (n "Kim")
      RETURN n
      """
    Then a SemanticError should be raised at compile time: AmbiguousEntity

  Scenario: [8] Over the bundled data: Spanish and English place names alike
    Given the eje bundled graph
    When executing query:
      """
      MATCH (a "Moscú"), (b "Moscow")
      RETURN a.id AS a, b.id AS b
      """
    Then the result should be, in any order:
      | a        | b        |
      | 'moscow' | 'moscow' |
    And no side effects

  Scenario: [9] Over the bundled data: labels and types ignore case
    Given the eje bundled graph
    When executing query:
      """
      MATCH (k:person "kim jong-un")-[:MET_WITH]->(p:Person "PUTIN")
      RETURN DISTINCT k.id AS k, p.id AS p
      """
    Then the result should be, in any order:
      | k             | p       |
      | 'kim_jong_un' | 'putin' |
    And no side effects
