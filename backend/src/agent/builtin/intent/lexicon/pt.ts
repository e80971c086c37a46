/** Portuguese patterns (accents already stripped: "nao", "reclamacao", "senha"). */
import { HINT, LIKELY, rules, SURE, type LexiconRule } from "./types.js";

const pessoa = "pessoa|humano|humana|atendente|agente|gerente|responsavel|representante|alguem|comercial|suporte|consultor|consultora|vendedor|operador|supervisor";

export const ptRules: LexiconRule[] = [
  ...rules("human_request", SURE, [
    new RegExp(`\\b(?:falar|fala|conversar|passa|passar|passe|transfere|transferir|transfira|atender|atendido|atendida|ligar|contato com|chamar|chama)\\b(?: \\w+){0,4} (?:${pessoa})\\b`),
    /\b(?:atendimento|atendente|pessoa) (?:humano|humana|real|de verdade)\b/,
    /^(?:humano|atendente|agente|uma pessoa)(?: (?:por favor|pfv|pf|pfvr|agora|ja))*$/,
    /\bnao (?:quero|gosto)(?: \w+){0,3} (?:robo|bot|maquina)\b/,
    /\b(?:me liga|me ligue|me ligar|me liguem|me telefona)\b/,
  ]),
  ...rules("complaint", SURE, [
    /\b(?:reclamacao|reclamacoes|reclamar|queixa|queixas|queixar)\b/,
    /\b(?:inaceitavel|pessimo|pessima|horrivel|terrivel|vergonha|incompetentes|incompetente|saco cheio|irritado|irritada|chateado|chateada|decepcionado|decepcionada|insatisfeito|insatisfeita|revoltado|revoltada|absurdo|um lixo|emojiangry)\b/,
    /\bnao estou (?:nada )?(?:satisfeito|satisfeita|contente|feliz)\b/,
    /\b(?:mal|pessimamente) atendid[oa]\b|\b(?:pessimo|mau|horrivel) atendimento\b|\bexperiencia (?:horrivel|pessima|ruim)\b/,
    /\bninguem (?:me )?(?:responde|atende|ajuda|resolve|retorna)\b/,
    /\b(?:esperando|espero) (?:ha|faz)\b|\bha (?:0 )?(?:dias|semanas|meses) esperando\b/,
    /\b(?:ate agora|ainda) nao (?:recebi|chegou|chegaram|entregaram)\b/,
    /\bchegou (?:quebrado|quebrada|danificado|danificada|com defeito|errado|errada)\b/,
    /\bproduto errado\b/,
  ]),
  ...rules("complaint", LIKELY, [/\bnao funciona\b/]),
  ...rules("sensitive_data", SURE, [
    /\b(?:reembolso|reembolsos|reembolsar|estorno|estornar|dinheiro de volta|devolucao do dinheiro|devolvam (?:o|meu) dinheiro)\b/,
    /\bcobrad[oa]s? (?:duas vezes|em dobro|a mais|indevidamente)\b/,
    /\bcobranca (?:que nao reconheco|indevida|duplicada|nao autorizada|estranha)\b/,
    /\bcartao(?: \w+){0,2} (?:recusado|negado|bloqueado|roubado|clonado|nao passa|nao passou|nao funciona)\b/,
    /\bpagamento(?: \w+){0,2} (?:nao passou|nao passa|recusado|falhou|nao foi|nao funciona|deu erro)\b/,
    /\bnao (?:consigo|da pra|da para|consegui) (?:pagar|fazer o pagamento|finalizar o pagamento)\b/,
    /\b(?:problema|problemas|erro)(?: \w+){0,1} (?:com o|no|ao fazer o|para) (?:pagamento|pagar)\b/,
    /\b(?:fraude|golpe|hackeada|hackeado|hackearam|invadiram|invadida|roubo de identidade)\b/,
    /\b(?:senha|senhas|fazer login|nao consigo entrar|nao consigo acessar|acessar minha conta|codigo de verificacao)\b/,
    /\b(?:excluir|apagar|deletar|encerrar|cancelar|fechar|desativar|apaguem|excluam)(?: \w+){0,1} (?:a |minha |meu |meus |os )?(?:conta|perfil|dados|cadastro)\b/,
    /\b(?:mudar|alterar|atualizar|editar|trocar|corrigir)(?: \w+){0,1} (?:o |a |os |as |meu |minha |meus |minhas )?(?:email|e mail|dados|telefone|endereco|nome|conta|perfil|cadastro|cartao)\b/,
    /\b(?:rg|cpf|passaporte|documento de identidade|identidade|numero do (?:meu )?cartao|dados do cartao|iban|conta bancaria|dados bancarios)\b/,
  ]),
  ...rules("pricing", LIKELY, [
    /\b(?:preco|precos|quanto (?:custa|fica|sai|e|cobram|seria)|custa|custam|custo|custos|valor|valores|orcamento|cotacao|desconto|descontos|cupom|promocao|promocoes|taxa|taxas|caro|cara|barato|barata|mensalidade|frete)\b/,
  ]),
  ...rules("contract", LIKELY, [
    /\b(?:contrato|fidelidade|cancelamento|rescindir|rescisao|termos|condicoes|aviso previo|renovacao|renova|multa)\b/,
    /\b(?:cancelar|encerrar)(?: \w+){0,2} (?:assinatura|plano|servico|contrato)\b/,
  ]),
  ...rules("purchase_intent", HINT, [/\b(?:quero|queria|gostaria de|desejo|qro|preciso) (?:comprar|pedir|contratar|assinar|encomendar|fazer um pedido|efetuar uma compra|fazer uma compra)\b/, /\bfazer um pedido\b/]),
  ...rules("appointment", LIKELY, [/\b(?:demo|demonstracao|reuniao|agendar|marcar|me liga|me liguem|ligacao|videochamada|visita)\b/]),
  // A question about one's own invoice is a billing matter: support, not the bot.
  ...rules("sensitive_data", LIKELY, [/\b(?:minha|a|nossa|esta|ultima)\s+(?:fatura|faturas|nota fiscal|cobranca|boleto)\b/]),
  ...rules("greeting", LIKELY, [/^(?:\w+ )?(?:so |somente |apenas )?(?:estou |to |tou )?(?:dando uma (?:olhada|olhadinha|espiada)|olhando|curiosando|conhecendo)(?: (?:por enquanto|so|por aqui|obrigad[oa]))*$/]),
];
