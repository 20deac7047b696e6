Feature: Shortest paths - shortestPath and allShortestPaths, which the TCK lacks

  Scenario: [1] shortestPath finds one path of the least length
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((a:Town {name: 'a'})-[*]->(d:Town {name: 'd'}))
      RETURN length(p) AS hops, nodes(p)[0].name AS first, nodes(p)[-1].name AS last
      """
    Then the result should be, in any order:
      | hops | first | last |
      | 2    | 'a'   | 'd'  |
    And no side effects

  Scenario: [2] allShortestPaths finds every path of the least length
    Given the roads graph
    When executing query:
      """
      MATCH p = allShortestPaths((a:Town {name: 'a'})-[*]->(d:Town {name: 'd'}))
      RETURN p
      """
    Then the result should be, in any order:
      | p                                                                                     |
      | <(:Town {name: 'a'})-[:ROAD {km: 5}]->(:Town {name: 'b'})-[:ROAD {km: 5}]->(:Town {name: 'd'})> |
      | <(:Town {name: 'a'})-[:ROAD {km: 1}]->(:Town {name: 'c'})-[:ROAD {km: 9}]->(:Town {name: 'd'})> |
    And no side effects

  Scenario: [3] Relationship types restrict the shortest path
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((a:Town {name: 'a'})-[:TRACK*]->(d:Town {name: 'd'}))
      RETURN [n IN nodes(p) | n.name] AS route
      """
    Then the result should be, in any order:
      | route                |
      | ['a', 'e', 'f', 'd'] |
    And no side effects

  Scenario: [4] Direction matters: no directed path against one-way streets
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((g:Town {name: 'g'})-[*]->(a:Town {name: 'a'}))
      RETURN p
      """
    Then the result should be empty
    And no side effects

  Scenario: [5] An undirected shortest path walks relations either way
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((g:Town {name: 'g'})-[*]-(a:Town {name: 'a'}))
      RETURN length(p) AS hops
      """
    Then the result should be, in any order:
      | hops |
      | 3    |
    And no side effects

  Scenario: [6] A node with no connection has no shortest path
    Given the roads graph
    When executing query:
      """
      MATCH p = allShortestPaths((a:Town {name: 'a'})-[*]-(h:Town {name: 'h'}))
      RETURN p
      """
    Then the result should be empty
    And no side effects

  Scenario: [7] An upper bound on the length is kept
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((a:Town {name: 'a'})-[*..1]->(d:Town {name: 'd'}))
      RETURN p
      """
    Then the result should be empty
    And no side effects

  Scenario: [8] Shortest paths from one node to several, one row each
    Given the roads graph
    When executing query:
      """
      MATCH (a:Town {name: 'a'}), (t:Town)
      WHERE t.name IN ['b', 'd', 'g']
      MATCH p = shortestPath((a)-[*]->(t))
      RETURN t.name AS town, length(p) AS hops
      ORDER BY town
      """
    Then the result should be, in order:
      | town | hops |
      | 'b'  | 1    |
      | 'd'  | 2    |
      | 'g'  | 3    |
    And no side effects

  Scenario: [9] The relationships of a shortest path
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((a:Town {name: 'a'})-[*]->(g:Town {name: 'g'}))
      RETURN size(relationships(p)) AS n, type(relationships(p)[-1]) AS last
      """
    Then the result should be, in any order:
      | n | last   |
      | 3 | 'ROAD' |
    And no side effects

  Scenario: [10] shortestPath takes a single relationship pattern
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((a:Town)-[:ROAD]->(b:Town)-[:ROAD]->(c:Town))
      RETURN p
      """
    Then a SyntaxError should be raised at compile time: InvalidShortestPathPattern

  Scenario: [11] A property map on the relations keeps a node reached only through others
    Given the roads graph
    When executing query:
      """
      MATCH p = shortestPath((d:Town {name: 'd'})-[* {km: 1}]-(c:Town {name: 'c'}))
      RETURN length(p) AS n, [x IN nodes(p) | x.name] AS towns
      """
    Then the result should be, in any order:
      | n | towns                     |
      | 4 | ['d', 'f', 'e', 'a', 'c'] |
    And no side effects
